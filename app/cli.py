"""The `metro` command: check the content, serve the guide, export it, print its PDFs.

Everything it says to an editor or an operator is Dutch; `file:line: melding` for content.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.cli_ops import OpsRefused, pid_file, schema_refusal, unwritable_data_dir
from app.cli_ops import register as register_ops
from app.config import DEFAULT_BRAND, Settings, SettingsError, checked_base_url, contrast_ratio
from app.content import ContentError, load_guide
from app.handout import handout_warnings
from app.version import VersionAction


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch words around its messages, and exit code 2 for usage errors."""

    def __init__(self, *args: Any, add_help: bool = True, parents: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, add_help=False, **kwargs)  # type: ignore[misc]
        self._optionals.title = "opties"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
        for parent in parents:  # after the title is Dutch, so their options join the same group
            self._add_container_actions(parent)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


class _Help(argparse.HelpFormatter):
    """Help that names each option's default, in Dutch."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or action.option_strings == []:
            return text
        shown = "%(default)s" if action.default != "" else "geen"
        return f"{text} (standaard: {shown})"

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="gebruik: " if prefix is None else prefix)


def _parser() -> argparse.ArgumentParser:
    formatter = _Help
    common = _Parser(add_help=False)
    common.add_argument(
        "--content",
        type=Path,
        default=argparse.SUPPRESS,  # given before or after the sub-command, neither overrides the other
        help="map met de inhoud (standaard: $ZEVENSTOPS_CONTENT_DIR, anders content/nl)",
    )
    parser = _Parser(
        prog="metro",
        description="Zeven stops: de metrokaart-gids bij 'Samenwerking tussen gemeenten'.",
        parents=[common],
        formatter_class=formatter,
    )
    parser.add_argument("--version", action=VersionAction, help="toon de versie van metro en van de inhoud, en stop")
    commands = parser.add_subparsers(dest="command", required=True, title="opdrachten", metavar="OPDRACHT")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, help=help, description=help, parents=[common], formatter_class=formatter
        )
        return sub

    check = command("check", "controleer de inhoud: elke fout als bestand:regel: melding")
    check.add_argument(
        "--bronnen",
        type=Path,
        metavar="MAP",
        help="map met de brondocumenten: controleer ook of elk citaat en elke uitspraak daar letterlijk in staat",
    )
    check.set_defaults(run=_check)

    serve = command("serve", "toon de gids via HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (0.0.0.0: alle netwerken)")
    serve.add_argument("--port", type=int, default=8000, help="poort")
    serve.add_argument("--root-path", default="", help="subpad achter een proxy, bijvoorbeeld /zevenstops")
    serve.add_argument(
        "--reload", action="store_true", help="bouw opnieuw na elke wijziging; de open pagina ververst zichzelf"
    )
    serve.set_defaults(run=_serve)

    export = command("export", "schrijf de gids als losse bestanden, voor elke webserver of een USB-stick")
    export.add_argument("out_dir", type=Path, metavar="MAP", help="een nieuwe of lege map, of een eerdere export")
    export.add_argument("--zip", action="store_true", help="pak de map ook in als MAP.zip")
    export.add_argument(
        "--base-url", help="openbaar adres van de export, voor QR-codes en pdf's (standaard: $ZEVENSTOPS_BASE_URL)"
    )
    export.add_argument("--no-pdf", action="store_true", help="laat de pdf's weg")
    export.set_defaults(run=_export)

    pdf = command("pdf", "maak de hand-out van elke halte en het boekje als pdf")
    pdf.add_argument("out_dir", type=Path, metavar="MAP", help="een nieuwe of lege map, of een eerdere pdf-map")
    pdf.add_argument(
        "--base-url", help="openbaar adres waar links en QR-codes heen gaan (standaard: $ZEVENSTOPS_BASE_URL)"
    )
    pdf.set_defaults(run=_pdf)
    register_ops(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as err:
        print(f"Instelling niet bruikbaar: {err}", file=sys.stderr)
        return 2
    if getattr(args, "content", None):
        settings = replace(settings, content_dir=args.content)
    from app.export import FolderRefused
    from app.pdf import PdfUnavailable

    try:
        return int(args.run(args, settings))
    except ContentError as err:
        _report(err)
    except (Refused, OpsRefused, FolderRefused, SettingsError) as err:
        print(err, file=sys.stderr)
    except PdfUnavailable as err:
        print(f"Geen pdf's mogelijk: {err}", file=sys.stderr)
    return 1


class Refused(Exception):
    """The command cannot do what was asked; the message says why, in Dutch."""


def _report(err: ContentError) -> None:
    for problem in [*err.problems, *err.warnings]:
        print(problem, file=sys.stderr)
    print(f"{len(err.problems)} {'probleem' if len(err.problems) == 1 else 'problemen'} gevonden.", file=sys.stderr)


def _base_url(given: str | None, settings: Settings) -> str:
    """The public address from --base-url or the setting; raises SettingsError when it is not one."""
    return checked_base_url(given, "--base-url") if given else settings.base_url


def _check(args: argparse.Namespace, settings: Settings) -> int:
    guide = load_guide(settings.content_dir)
    verbatim = ""
    if args.bronnen is not None:
        from app.content.verbatim import check_verbatim

        if not any(args.bronnen.glob("0*.txt")):
            raise Refused(f"{args.bronnen}: geen brondocumenten gevonden (bestanden 000_….txt tot 004_….txt)")
        if mismatches := check_verbatim(settings.content_dir, args.bronnen):
            raise ContentError(mismatches)
        verbatim = "; citaten en uitspraken letterlijk als in de bronnen"
    for warning in [*guide.warnings, *handout_warnings(guide, settings)]:
        print(warning, file=sys.stderr)
    if not guide.accessibility.contact and not settings.contact:
        print(
            f"{guide.accessibility.path}: waarschuwing: de toegankelijkheidsverklaring noemt geen contact om een "
            "probleem te melden. Zet ZEVENSTOPS_CONTACT (e-mailadres of https-adres) of vul 'contact' in.",
            file=sys.stderr,
        )
    ratio = contrast_ratio(settings.brand_colour, "#ffffff")
    if ratio < 3:
        print(
            f"waarschuwing: ZEVENSTOPS_BRAND_COLOUR {settings.brand_colour} heeft een contrast van {ratio:.1f}:1 "
            f"met de witte achtergrond; de lijn heeft minstens 3:1 nodig om gezien te worden (WCAG 1.4.11). "
            f"Kies een donkerder tint, zoals de standaardkleur {DEFAULT_BRAND}.",
            file=sys.stderr,
        )
    unset = [name for name, value in PRIVACY_SETTINGS if not getattr(settings, value)]
    if unset:
        print(
            f"waarschuwing: de privacypagina (/privacy) vraagt de organisatie nog om {', '.join(unset)}: "
            "wie verantwoordelijk is voor de gegevens, hoe bezoekers haar bereiken en hoe lang het logboek "
            "wordt bewaard.",
            file=sys.stderr,
        )
    quotes = sum(len(s.quotes) for s in guide.stations)
    examples = sum(len(s.examples) for s in guide.stations)
    print(
        f"In orde: {len(guide.stations)} haltes, {quotes} citaten, {examples} praktijkvoorbeelden "
        f"(inhoudsversie {guide.version}){verbatim}."
    )
    return 0


PRIVACY_SETTINGS = (
    ("ZEVENSTOPS_ORGANISATION", "organisation"),
    ("ZEVENSTOPS_CONTACT", "contact"),
    ("ZEVENSTOPS_LOG_DAYS", "log_days"),
)


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from app.logs import configure
    from app.server import run
    from app.web import create_app

    configure(settings)
    if args.root_path and not args.root_path.startswith("/"):
        print(f"--root-path moet met / beginnen, zoals /zevenstops (niet {args.root_path!r})", file=sys.stderr)
        return 2
    try:
        app = create_app(settings, watch=args.reload)
    except ContentError as err:
        print("De gids kan niet starten: herstel eerst deze fouten in de inhoud.", file=sys.stderr)
        _report(err)
        return 1
    if not _is_loopback(args.host) and not settings.base_url:
        print(
            "waarschuwing: de gids luistert op een netwerkadres zonder ZEVENSTOPS_BASE_URL. QR-codes, oEmbed en "
            "de API gebruiken dan het adres dat bezoekers intypen. Zet ZEVENSTOPS_BASE_URL op het openbare adres, "
            "bijvoorbeeld https://gids.gemeente.nl/zevenstops/.",
            file=sys.stderr,
        )
    print(f"Zeven stops: http://{args.host}:{args.port}{args.root_path.rstrip('/')}/", file=sys.stderr)
    refusal = unwritable_data_dir(settings) or schema_refusal(settings)
    if refusal:
        print(refusal, file=sys.stderr)
        return 1
    pid = pid_file(settings)
    try:  # for `metro reload`; the data folder was found writable above, or can be made
        pid.parent.mkdir(parents=True, exist_ok=True)
        pid.write_text(f"{os.getpid()}\n")
    except OSError as err:
        print(
            f"waarschuwing: {pid} niet te schrijven ({err.strerror}); `metro reload` werkt dan niet.", file=sys.stderr
        )
    try:
        run(app, host=args.host, port=args.port, root_path=args.root_path.rstrip("/"), max_streams=settings.max_streams)
    finally:
        with contextlib.suppress(OSError):
            if pid.read_text().strip() == str(os.getpid()):
                pid.unlink()
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from app.export import export_site, zip_site

    base_url = _base_url(args.base_url, settings)
    files = export_site(
        settings, args.out_dir, base_url=base_url, pdf=not args.no_pdf, progress=lambda name: print(f"  {name}")
    )
    print(f"{len(files)} bestanden geschreven in {args.out_dir}/ (open {args.out_dir}/index.html)")
    if args.zip:
        print(f"Ingepakt: {zip_site(args.out_dir)}")
    return 0


def _pdf(args: argparse.Namespace, settings: Settings) -> int:
    from app.build import build_site
    from app.export import claim_folder, write_files
    from app.pdf import pdf_jobs, print_all

    base_url = _base_url(args.base_url, settings)
    if not base_url:
        raise Refused(
            "Geef --base-url (of zet ZEVENSTOPS_BASE_URL): de links en QR-codes in de pdf's wijzen naar dat "
            "openbare adres, bijvoorbeeld https://gids.gemeente.nl/zevenstops/."
        )
    earlier = claim_folder(args.out_dir, what="pdf-map")
    site = build_site(settings, base_url=base_url)
    jobs = pdf_jobs(site)
    started = time.perf_counter()
    done: list[str] = []

    def progress(name: str) -> None:
        done.append(name)
        print(f"  [{len(done)}/{len(jobs)}] {name}", flush=True)

    files = print_all(site, progress)
    write_files(args.out_dir, files, earlier)
    print(f"{len(files)} pdf's geschreven in {args.out_dir}/ in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
