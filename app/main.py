"""The ASGI application, for `uvicorn app.main:app` or gunicorn with uvicorn workers.

Settings come from ZEVENSTOPS_* environment variables (see README). Invalid settings or
content stop the start with a Dutch message and end the whole service (app/startup.py).
"""

from __future__ import annotations

from app.config import Settings, SettingsError
from app.content import ContentError
from app.logs import configure
from app.sessions.upgrade import SchemaBehind, SchemaTooNew, at_start
from app.startup import fail, served
from app.web import create_app

try:
    settings = Settings.from_env()
    configure(settings)  # uvicorn's and gunicorn's loggers too: no client addresses, no session codes
    app = create_app(settings)
    at_start(settings.engine_url, settings.auto_upgrade)
except ContentError as err:
    fail([f"De gids kan niet starten: de inhoud heeft {len(err.problems)} fout(en).", str(err)])
except SettingsError as err:
    fail([f"De gids kan niet starten: {err}"])
except (SchemaTooNew, SchemaBehind) as err:
    fail([f"De gids kan niet starten: {err}"])
else:
    served()
