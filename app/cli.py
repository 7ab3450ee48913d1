"""The `metro` command: serve the guide and check its content."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from app.config import DEFAULT_BRAND, Settings, SettingsError, contrast_ratio
from app.content import ContentError, load_guide


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="metro", description="Zeven stops: de metrokaart-gids.")
    parser.add_argument("--content", type=Path, help="content folder (default: content/nl, or $ZEVENSTOPS_CONTENT_DIR)")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the guide over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="pick up edits to content, templates and static files")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check", help="validate the content; print every problem as file:line: message")
    check.set_defaults(run=_check)

    export = commands.add_parser("export", help="write the guide as static files with relative links")
    export.add_argument("out_dir", type=Path)
    export.add_argument("--zip", action="store_true", help="also pack the folder into OUT_DIR.zip")
    export.add_argument("--base-url", help="public address of the export, for QR codes (default: $ZEVENSTOPS_BASE_URL)")
    export.add_argument("--no-pdf", action="store_true", help="leave the PDFs out")
    export.set_defaults(run=_export)

    pdf = commands.add_parser("pdf", help="print every station handout and the booklet as PDF")
    pdf.add_argument("out_dir", type=Path)
    pdf.add_argument(
        "--base-url", help="public address the QR codes lead to (default: $ZEVENSTOPS_BASE_URL; none: no QR codes)"
    )
    pdf.set_defaults(run=_pdf)

    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as err:
        print(f"Configuration problem: {err}", file=sys.stderr)
        return 2
    if args.content:
        settings = replace(settings, content_dir=args.content)
    return args.run(args, settings)


def _slash(url: str | None) -> str:
    """A base URL ends in a slash, so relative paths join onto it."""
    if not url:
        return ""
    return url if url.endswith("/") else url + "/"


def _report(err: ContentError) -> None:
    for problem in [*err.problems, *err.warnings]:
        print(problem, file=sys.stderr)
    count = len(err.problems)
    print(f"{count} {'probleem' if count == 1 else 'problemen'} gevonden.", file=sys.stderr)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    try:
        guide = load_guide(settings.content_dir)
    except ContentError as err:
        _report(err)
        return 1
    for warning in guide.warnings:
        print(warning, file=sys.stderr)
    ratio = contrast_ratio(settings.brand_colour, "#ffffff")
    if ratio < 3:
        print(
            f"waarschuwing: ZEVENSTOPS_BRAND_COLOUR {settings.brand_colour} heeft een contrast van {ratio:.1f}:1 "
            f"met de witte achtergrond; de lijn heeft minstens 3:1 nodig om gezien te worden (WCAG 1.4.11). "
            f"Kies een donkerder tint, zoals de standaardkleur {DEFAULT_BRAND}.",
            file=sys.stderr,
        )
    quotes = sum(len(s.quotes) for s in guide.stations)
    examples = sum(len(s.examples) for s in guide.stations)
    print(
        f"In orde: {len(guide.stations)} haltes, {quotes} citaten, {examples} praktijkvoorbeelden "
        f"(inhoudsversie {guide.version})."
    )
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app.server import BoundedHttpToolsProtocol
    from app.web import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:  %(message)s")
    try:
        app = create_app(settings, watch=args.reload)
    except ContentError as err:
        print("The guide cannot start: fix these content problems first.", file=sys.stderr)
        _report(err)
        return 1
    print(f"Zeven stops: http://{args.host}:{args.port}/", file=sys.stderr)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        server_header=False,
        loop="uvloop",
        http=BoundedHttpToolsProtocol,
    )
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from app.export import export_site, zip_site

    base_url = _slash(args.base_url or settings.base_url)
    try:
        files = export_site(
            settings, args.out_dir, base_url=base_url, pdf=not args.no_pdf, progress=lambda name: print(f"  {name}")
        )
    except ContentError as err:
        _report(err)
        return 1
    print(f"Wrote {len(files)} files to {args.out_dir}/ (open {args.out_dir}/index.html)")
    if args.zip:
        print(f"Packed {zip_site(args.out_dir)}")
    return 0


def _pdf(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from app.pdf import PdfUnavailable, pdf_jobs, print_to_files
    from app.web import build_site

    base_url = _slash(args.base_url or settings.base_url)
    try:
        site = build_site(settings, qr=bool(base_url))
    except ContentError as err:
        _report(err)
        return 1
    if not base_url:
        print("No --base-url given: the PDFs carry no QR codes.", file=sys.stderr)
    jobs = pdf_jobs(site.guide)
    started = time.perf_counter()

    def progress(name: str) -> None:
        print(f"  [{len(done) + 1}/{len(jobs)}] {name}", flush=True)
        done.append(name)

    done: list[str] = []
    try:
        files = print_to_files(jobs, lambda p: site.fetch(p, base_url), args.out_dir, progress)
    except PdfUnavailable as err:
        print(f"Cannot make PDFs: {err}", file=sys.stderr)
        return 1
    print(f"Wrote {len(files)} PDFs to {args.out_dir}/ in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
