"""The `metro` command: serve the guide and check its content."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from app.config import Settings
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
    export.set_defaults(run=_export)

    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.content:
        settings = replace(settings, content_dir=args.content)
    return args.run(args, settings)


def _report(err: ContentError) -> None:
    for problem in err.problems:
        print(problem, file=sys.stderr)
    print(f"{len(err.problems)} problem(s) found.", file=sys.stderr)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    try:
        guide = load_guide(settings.content_dir)
    except ContentError as err:
        _report(err)
        return 1
    quotes = sum(len(s.quotes) for s in guide.stations)
    examples = sum(len(s.examples) for s in guide.stations)
    print(f"OK: {len(guide.stations)} stops, {quotes} quotes, {examples} practice examples (content version {guide.version}).")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app.web import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:  %(message)s")
    try:
        app = create_app(settings, watch=args.reload)
    except ContentError as err:
        print("The guide cannot start: fix these content problems first.", file=sys.stderr)
        _report(err)
        return 1
    print(f"Zeven stops: http://{args.host}:{args.port}/", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", server_header=False)
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from app.export import export_site, zip_site

    try:
        files = export_site(settings, args.out_dir, progress=lambda name: print(f"  {name}"))
    except ContentError as err:
        _report(err)
        return 1
    print(f"Wrote {len(files)} files to {args.out_dir}/ (open {args.out_dir}/index.html)")
    if args.zip:
        print(f"Packed {zip_site(args.out_dir)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
