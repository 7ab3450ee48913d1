"""Operator commands of `metro`: `db upgrade`, `sessies backup FILE`, `sessies restore FILE`, `reload` and `routes`."""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from app.config import Settings


class OpsRefused(Exception):
    """The operator command cannot do what was asked; the message says why, in Dutch."""


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the `db` and `sessies` commands to the parser through `command(name, help)`."""
    db = command("db", "beheer het schema van de database van de live sessies")
    db_steps = db.add_subparsers(dest="db_command", required=True, title="stappen", metavar="STAP")
    up = db_steps.add_parser("upgrade", help="breng het schema naar de nieuwste versie (nooit terug)")
    up.set_defaults(run=_upgrade)
    sessions = command("sessies", "maak of herstel een reservekopie van de live sessies (SQLite)")
    steps = sessions.add_subparsers(dest="sessies_command", required=True, title="stappen", metavar="STAP")
    backup = steps.add_parser("backup", help="schrijf een samenhangende kopie, ook terwijl de server draait")
    backup.add_argument("file", type=Path, metavar="BESTAND", help="een nieuw bestand voor de kopie")
    backup.set_defaults(run=_backup)
    restore = steps.add_parser("restore", help="zet een kopie terug; de huidige database blijft ernaast bewaard")
    restore.add_argument("file", type=Path, metavar="BESTAND", help="een kopie van `metro sessies backup`")
    restore.set_defaults(run=_restore)
    reload = command("reload", "laat een draaiende `metro serve` de inhoud opnieuw inlezen (SIGHUP)")
    reload.set_defaults(run=_reload)
    routes = command("routes", "toon elk adres dat de gids beantwoordt, als tabel in Markdown (docs/routes.md)")
    routes.set_defaults(run=_routes)


def _routes(_args: argparse.Namespace, settings: Settings) -> int:
    from app.routes import markdown, of_application

    print(markdown(of_application(settings)), end="")
    return 0


def pid_file(settings: Settings) -> Path:
    """Where `metro serve` notes its process id, for `metro reload`."""
    return settings.data_dir / "metro-serve.pid"


def _reload(_args: argparse.Namespace, settings: Settings) -> int:
    import signal

    path = pid_file(settings)
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        raise OpsRefused(
            f"Geen draaiende `metro serve` gevonden ({path} ontbreekt of is onleesbaar). Draait de gids onder "
            "systemd, gebruik dan `systemctl reload zevenstops`; in een container: start een nieuwe image."
        ) from None
    try:
        os.kill(pid, signal.SIGHUP)
    except ProcessLookupError:
        raise OpsRefused(f"`metro serve` (proces {pid}, uit {path}) draait niet meer.") from None
    except PermissionError:
        raise OpsRefused(
            f"Geen toestemming om proces {pid} een signaal te sturen: gebruik de gebruiker van de dienst."
        ) from None
    print(
        f"De gids (proces {pid}) leest de inhoud opnieuw in. Is de nieuwe inhoud niet in orde, dan blijft de "
        "laatste goede versie online; de problemen staan dan in het logboek en in /healthz."
    )
    return 0


def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from app.sessions import db, upgrade

    engine = db.make_engine(settings.engine_url)
    try:
        before, after = upgrade.upgrade(engine)
    except upgrade.SchemaTooNew as err:
        raise OpsRefused(str(err)) from None
    finally:
        engine.dispose()
    if before == after:
        print(f"Het schema is al bij de nieuwste versie ({after}).")
    else:
        print(f"Schema bijgewerkt van {before or 'leeg'} naar {after}; alle gegevens zijn behouden.")
    return 0


def _sqlite_file(settings: Settings) -> Path:

    url = make_url(settings.engine_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise OpsRefused(
            "De live sessies staan in PostgreSQL: maak daar een reservekopie met pg_dump en zet die terug met "
            "pg_restore (zie docs/deploy.md, 'Reservekopie')."
        )
    return Path(url.database)


def _revision_of(path: Path) -> str | None:
    """The schema revision in a SQLite file, or None when it has none; OpsRefused when it is no database."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise OpsRefused(f"{path}: geen SQLite-database van de gids.") from None
    return None if row is None else str(row[0])


def _copy(source: Path, target: Path) -> None:
    """Copy one SQLite database to another with the online backup API (consistent while others write)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer)
    writer.close()
    reader.close()


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    source = _sqlite_file(settings)
    target: Path = args.file
    if not source.is_file():
        raise OpsRefused(f"{source}: er is nog geen database van de live sessies, dus niets om te bewaren.")
    if target.exists():
        raise OpsRefused(f"{target}: dat bestand bestaat al; de gids overschrijft het niet. Kies een nieuwe naam.")
    if not target.parent.is_dir():
        raise OpsRefused(f"{target.parent}: die map bestaat niet.")
    _copy(source, target)
    print(f"Reservekopie geschreven: {target} (schemaversie {_revision_of(target) or 'leeg'}).")
    return 0


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    from app.sessions.upgrade import SchemaTooNew, known_revisions, refuse_unknown

    target = _sqlite_file(settings)
    source: Path = args.file
    if not source.is_file():
        raise OpsRefused(f"{source}: dat bestand bestaat niet.")
    revision = _revision_of(source)
    if revision is None:
        raise OpsRefused(f"{source}: geen reservekopie van de live sessies (er staat geen schemaversie in).")
    try:
        refuse_unknown(revision)
        current = _revision_of(target) if target.is_file() else None
        refuse_unknown(current)
    except SchemaTooNew as err:
        raise OpsRefused(str(err)) from None
    order = known_revisions()
    if current is not None and order.index(current) > order.index(revision):
        raise OpsRefused(
            f"{target} heeft schemaversie {current}, nieuwer dan de kopie ({revision}). Terugzetten zou die "
            "database vervangen door een oudere vorm; zet eerst zelf de huidige database opzij als u dat wilt."
        )
    kept = ""
    if target.is_file():
        aside = target.with_name(f"{target.name}.voor-herstel-{time.strftime('%Y%m%d-%H%M%S')}")
        _copy(target, aside)  # never delete: the database as it was stays next to it
        kept = f" De vorige database staat in {aside}."
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)
    print(f"Teruggezet: {source} naar {target} (schemaversie {revision}).{kept} Herstart de gids.")
    return 0


def unwritable_data_dir(settings: Settings) -> str:
    """With SQLite, the data folder must be (or become) writable; a Dutch line when it is not."""
    parsed = make_url(settings.engine_url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return ""
    folder = Path(parsed.database).parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), folder)
    if existing.is_dir() and os.access(existing, os.W_OK | os.X_OK):
        return ""
    return (
        f"De gids kan niet starten: de datamap {folder} is niet beschrijfbaar, dus live sessies kunnen niet "
        "worden bewaard. Maak de map beschrijfbaar voor deze gebruiker of kies een andere met ZEVENSTOPS_DATA_DIR."
    )


def schema_refusal(settings: Settings) -> str:
    """Upgrade an existing session database before serving; a Dutch line when its schema cannot be served."""
    from app.sessions import upgrade

    try:
        upgrade.at_start(settings.engine_url, settings.auto_upgrade)
    except (upgrade.SchemaTooNew, upgrade.SchemaBehind) as err:
        return f"De gids kan niet starten: {err}"
    return ""
