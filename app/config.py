"""Settings from environment variables, read once at start."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent  # the checkout, when run from one
# An installed wheel carries templates/, static/ and content/ inside the package (pyproject.toml's
# force-include); a checkout (or an editable install of one) uses its own top-level folders.
BUNDLED = Path(__file__).resolve().parent / "_bundled"
SHARED = BUNDLED if BUNDLED.is_dir() else ROOT
# Live sessions are kept next to the checkout, or in ./data where an installed `metro` is started.
DATA_DIR = Path("data").absolute() if SHARED == BUNDLED else ROOT / "data"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_BRAND = "#00558c"


HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$"
)
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
METRICS_ADDRESS = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(?:[1-9][0-9]{0,4})$")
PATH = re.compile(r"^/[A-Za-z0-9._~!$&()*+,;=:@%/-]*$")


class SettingsError(ValueError):
    """An environment variable has a value the guide cannot use; the message says which."""


def checked_base_url(value: str, name: str) -> str:
    """A public address as `https://host[:port]/path/`; anything else is a SettingsError.

    Strict, because it is copied into QR codes, oEmbed answers and the API.
    """
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise SettingsError(f"{name} moet beginnen met http:// of https://, niet {value!r}")
    if not HOST.match(parts.netloc):
        raise SettingsError(f"{name}: {parts.netloc!r} is geen geldige hostnaam (zoals gids.gemeente.nl)")
    if parts.query or parts.fragment or "#" in value or "?" in value:
        raise SettingsError(f"{name} mag geen ? of # bevatten: {value!r}")
    path = parts.path or "/"
    if not PATH.match(path) or "//" in path:
        raise SettingsError(f"{name}: het pad {path!r} bevat tekens die in een adres niet kunnen")
    return f"{parts.scheme}://{parts.netloc.lower()}{path if path.endswith('/') else path + '/'}"


def request_base_url(url: str) -> str | None:
    """The address a request came in on, if its Host is a valid host name (else None).

    Only http and https: a forwarded scheme such as `wss` is not an address for a page.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not HOST.match(parts.netloc):
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}" if PATH.match(path) else None


@dataclass(frozen=True)
class Settings:
    content_dir: Path = SHARED / "content" / "nl"
    templates_dir: Path = SHARED / "templates"
    static_dir: Path = SHARED / "static"
    base_url: str = ""  # public address, e.g. https://gids.gemeente.nl/zevenstops/; empty: the request's
    site_title: str = ""  # replaces the title from content/nl/site.md in the header
    brand_colour: str = DEFAULT_BRAND  # the metro line, buttons and header
    logo: Path | None = None  # the municipality's logo, shown in the header
    frame_ancestors: tuple[str, ...] = ("*",)  # who may put /embed in an iframe
    contact: str = ""  # where to report an accessibility problem: an e-mail address or a web address
    organisation: str = ""  # who publishes the guide: the controller named on the privacy page
    log_format: str = "text"  # "text": key=value lines; "json": one JSON object a line
    log_addresses: str = "none"  # client addresses in the log: "none", "truncated" (/24, /48) or "full"
    log_days: int = 0  # how long the server's logs are kept, as the organisation states it (0: not stated)
    # Live sessions: where they are kept, how long, and the limits against abuse.
    data_dir: Path = DATA_DIR  # the SQLite database lives here unless database_url says otherwise
    database_url: str = ""  # as configured; empty: SQLite in data_dir (the engine's URL is `engine_url`)
    session_days: int = 30  # sessions and their answers are deleted this many days after they start
    sessions_per_hour: int = 60  # new sessions an hour from one address, after a burst of 20 (per worker, in memory)
    answers_per_minute: int = 60  # answers one attendee may send per minute
    attendees_per_session: int = 500
    min_group: int = (
        5  # a partner's or role's figures are shown only with this many answers (small groups stay anonymous)
    )
    written_per_stop: int = 3  # written answers one attendee may send per stop
    traject_days: int = 1095  # a traject's counts are deleted this many days after its last session started
    code_misses_per_minute: int = 30  # wrong session codes one address may try a minute (guessing is slowed)
    attendees_per_address: int = 350  # new attendees one address brings into a session: a hall behind one NAT fits
    max_streams: int = 1500  # event streams at once per worker (one per attendee's phone and facilitator)
    streams_per_address: int = 400  # of which from one address (a hall behind one NAT address)
    metrics_address: str = ""  # host:port for Prometheus metrics (app/metrics.py); empty: none
    auto_upgrade: bool = True  # upgrade the session schema at start (under a lock); False: `metro db upgrade` only

    @cached_property
    def engine_url(self) -> str:
        """The session database's SQLAlchemy URL, derived once from `database_url` and `data_dir`."""
        return database_url(self.database_url, self.data_dir)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ZEVENSTOPS_* variables; anything unset keeps its default."""
        env = os.environ if environ is None else environ
        defaults = cls()
        base_url = env.get("ZEVENSTOPS_BASE_URL", "").strip()
        if base_url:
            base_url = checked_base_url(base_url, "ZEVENSTOPS_BASE_URL")
        colour = env.get("ZEVENSTOPS_BRAND_COLOUR", DEFAULT_BRAND).strip()
        if not HEX_COLOUR.match(colour):
            raise SettingsError(f"ZEVENSTOPS_BRAND_COLOUR moet een kleur zijn zoals #00558c, niet {colour!r}")
        logo = env.get("ZEVENSTOPS_LOGO", "").strip()
        if logo and not Path(logo).is_file():
            raise SettingsError(f"ZEVENSTOPS_LOGO: het bestand {logo!r} bestaat niet")
        if logo and Path(logo).suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg", ".webp"):
            raise SettingsError("ZEVENSTOPS_LOGO moet een .svg-, .png-, .jpg- of .webp-bestand zijn")
        ancestors = tuple(env.get("ZEVENSTOPS_FRAME_ANCESTORS", "*").split())
        for origin in ancestors:
            match = re.match(r"^https?://(?:\*\.)?(.+)$", origin)
            if origin not in ("*", "'self'", "'none'") and not (match and HOST.match(match.group(1))):
                raise SettingsError(
                    f"ZEVENSTOPS_FRAME_ANCESTORS: {origin!r} is geen herkomst zoals https://intranet.gemeente.nl"
                )
        contact = env.get("ZEVENSTOPS_CONTACT", "").strip()
        if contact and not (EMAIL.match(contact) or contact.startswith("https://")):
            raise SettingsError(
                f"ZEVENSTOPS_CONTACT moet een e-mailadres (toegankelijkheid@gemeente.nl) of een https://-adres zijn, "
                f"niet {contact!r}"
            )
        if contact.startswith("https://"):
            contact = checked_base_url(contact, "ZEVENSTOPS_CONTACT").rstrip("/") if "?" not in contact else contact
        data_dir = Path(env.get("ZEVENSTOPS_DATA_DIR", "").strip() or defaults.data_dir)
        metrics_address = env.get("ZEVENSTOPS_METRICS_ADDRESS", "").strip()
        if metrics_address and not METRICS_ADDRESS.match(metrics_address):
            raise SettingsError(
                f"ZEVENSTOPS_METRICS_ADDRESS moet een adres met poort zijn, zoals 127.0.0.1:9464, niet {metrics_address!r}"
            )
        organisation = " ".join(env.get("ZEVENSTOPS_ORGANISATION", "").split())
        if len(organisation) > 200:
            raise SettingsError(
                "ZEVENSTOPS_ORGANISATION mag hooguit 200 tekens zijn: alleen de naam van de organisatie"
            )
        settings = cls(
            content_dir=Path(env.get("ZEVENSTOPS_CONTENT_DIR", defaults.content_dir)),
            contact=contact,
            organisation=organisation,
            log_format=_choice(env, "ZEVENSTOPS_LOG_FORMAT", defaults.log_format, ("text", "json")),
            log_addresses=_choice(
                env, "ZEVENSTOPS_LOG_ADDRESSES", defaults.log_addresses, ("none", "truncated", "full")
            ),
            log_days=_int(env, "ZEVENSTOPS_LOG_DAYS", defaults.log_days, 1, 3650),
            base_url=base_url,
            site_title=env.get("ZEVENSTOPS_TITLE", "").strip(),
            brand_colour=colour.lower(),
            logo=Path(logo) if logo else None,
            frame_ancestors=ancestors or ("*",),
            data_dir=data_dir,
            database_url=env.get("ZEVENSTOPS_DATABASE_URL", "").strip(),
            session_days=_int(env, "ZEVENSTOPS_SESSION_DAYS", defaults.session_days, 1, 365),
            sessions_per_hour=_int(env, "ZEVENSTOPS_SESSIONS_PER_HOUR", defaults.sessions_per_hour, 1, 10_000),
            answers_per_minute=_int(env, "ZEVENSTOPS_ANSWERS_PER_MINUTE", defaults.answers_per_minute, 1, 10_000),
            code_misses_per_minute=_int(
                env, "ZEVENSTOPS_CODE_MISSES_PER_MINUTE", defaults.code_misses_per_minute, 1, 100_000
            ),
            attendees_per_address=_int(
                env, "ZEVENSTOPS_ATTENDEES_PER_ADDRESS", defaults.attendees_per_address, 1, 100_000
            ),
            max_streams=_int(env, "ZEVENSTOPS_MAX_STREAMS", defaults.max_streams, 1, 1_000_000),
            streams_per_address=_int(env, "ZEVENSTOPS_STREAMS_PER_ADDRESS", defaults.streams_per_address, 1, 1_000_000),
            attendees_per_session=_int(
                env, "ZEVENSTOPS_ATTENDEES_PER_SESSION", defaults.attendees_per_session, 1, 100_000
            ),
            metrics_address=metrics_address,
            min_group=_int(env, "ZEVENSTOPS_MIN_GROUP", defaults.min_group, 3, 1000),
            written_per_stop=_int(env, "ZEVENSTOPS_WRITTEN_PER_STOP", defaults.written_per_stop, 1, 20),
            traject_days=_int(env, "ZEVENSTOPS_TRAJECT_DAYS", defaults.traject_days, 1, 3650),
            auto_upgrade=_choice(env, "ZEVENSTOPS_AUTO_UPGRADE", "ja", ("ja", "nee")) == "ja",
        )
        _ = settings.engine_url  # derived now: a wrong database URL stops the start, not the first session
        return settings


def database_url(url: str, data_dir: Path) -> str:
    """The SQLAlchemy URL of the session database: SQLite in `data_dir` unless one is given.

    `postgresql://` (and `postgres://`) get the psycopg driver, the one the guide ships with.
    """
    if not url:
        return f"sqlite:///{data_dir / 'sessies.db'}"
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise SettingsError(
            f"ZEVENSTOPS_DATABASE_URL moet eruitzien als postgresql://gebruiker:wachtwoord@host/db, niet {url!r}"
        )
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    if scheme in ("postgresql+psycopg", "sqlite"):
        return url
    raise SettingsError(f"ZEVENSTOPS_DATABASE_URL moet beginnen met postgresql:// of sqlite://, niet {scheme}://")


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number from `low` to `high`; anything else stops the start with a message."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]+", raw) or not low <= int(raw) <= high:
        raise SettingsError(f"{name} moet een heel getal van {low} tot {high} zijn, niet {raw!r}")
    return int(raw)


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed` (case does not matter); anything else stops the start with a message."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in allowed:
        raise SettingsError(f"{name} moet {' of '.join(allowed)} zijn, niet {raw!r}")
    return raw


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio between two #rrggbb colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour`."""
    return "#ffffff" if contrast_ratio("#ffffff", colour) >= contrast_ratio("#000000", colour) else "#000000"


def darker(colour: str, factor: float = 0.68) -> str:
    """The same hue, darker: for hover states and borders."""
    channels = [round(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)
