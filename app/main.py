"""The ASGI application, for `uvicorn app.main:app` or gunicorn with uvicorn workers.

Settings come from ZEVENSTOPS_* environment variables (see README). Invalid content stops
the start with the `metro check` report instead of a traceback.
"""

from __future__ import annotations

import sys

from app.config import Settings, SettingsError
from app.content import ContentError
from app.logs import configure
from app.sessions.db import url_of
from app.sessions.upgrade import SchemaBehind, SchemaTooNew, at_start
from app.web import create_app

try:
    settings = Settings.from_env()
    configure(settings)  # uvicorn's and gunicorn's loggers too: no client addresses, no session codes
    app = create_app(settings)
    at_start(url_of(settings), settings.auto_upgrade)
except ContentError as err:
    print(f"De gids kan niet starten: de inhoud heeft {len(err.problems)} fout(en).", file=sys.stderr)
    print(err, file=sys.stderr)
    raise SystemExit(1) from None
except SettingsError as err:
    print(f"De gids kan niet starten: {err}", file=sys.stderr)
    raise SystemExit(2) from None
except (SchemaTooNew, SchemaBehind) as err:
    print(f"De gids kan niet starten: {err}", file=sys.stderr)
    raise SystemExit(1) from None
