"""Recipes: behind deploy/nginx-subpath.conf, under uvicorn (the systemd unit's command) and under
deploy/gunicorn.conf.py, a live session leaves no client address and no code in any log.

nginx does not log the session locations (`access_log off`); the guide logs each request itself,
without the client's address and with the code masked, through uvicorn's and gunicorn's workers alike.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bench.procs import Processes
from tests.conftest import VALID, free_port
from tests.deploy.recipes import PREFIX, VENV_BIN, guide_env, instantiate, start_guide, start_nginx
from tests.sessions.helpers import ATTENDEE_COOKIE, answer, deck_path, join, move, start
from tests.sessions.test_privacy_claims import parse_text

SERVERS = {
    "uvicorn": [str(VENV_BIN / "uvicorn"), "app.main:app", "--workers", "2", "--root-path", PREFIX, "--proxy-headers"],
    "gunicorn": [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "app.main:app"],
}


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_a_session_behind_nginx_leaves_no_address_and_no_code_in_the_logs(server: str, tmp_path: Path) -> None:
    app_port, nginx_port = free_port(), free_port()
    inside = f"http://127.0.0.1:{nginx_port}{PREFIX}"
    if server == "gunicorn":
        argv = [*SERVERS[server], "--bind", f"127.0.0.1:{app_port}"]
    else:
        argv = [*SERVERS[server], "--host", "127.0.0.1", "--port", str(app_port), "--forwarded-allow-ips", "127.0.0.1"]
    env = guide_env(VALID, tmp_path / "data", ZEVENSTOPS_BASE_URL=inside + "/", PYTHONUNBUFFERED="1")
    with Processes(tmp_path) as procs:
        guide = start_guide(procs, server, argv, env, app_port)
        conf = instantiate(
            "nginx-subpath.conf",
            LISTEN=f"127.0.0.1:{nginx_port}",
            SERVER_NAME="127.0.0.1",
            UPSTREAM=f"127.0.0.1:{app_port}",
        )
        start_nginx(procs, conf, tmp_path / "nginx", nginx_port)
        with (
            httpx.Client(base_url=inside, timeout=30) as facilitator,
            httpx.Client(base_url=inside, timeout=30) as phone,
        ):
            deck = start(facilitator)
            assert facilitator.get(deck_path(deck, "ambitie")).status_code == 200
            assert move(facilitator, deck, "ambitie").status_code == 200
            assert join(phone, deck.code).status_code == 200
            assert answer(phone, deck.code, halte="ambitie", score="2") == 303
            assert phone.get(f"/s/{deck.code}/uitslag").status_code == 200
            assert phone.get("/s/", params={"code": deck.code}).status_code == 303
            cookie = phone.cookies.get(ATTENDEE_COOKIE)
        procs.stop(guide)
    nginx_log = (tmp_path / "nginx" / "access.log").read_text()
    assert not [line for line in nginx_log.splitlines() if f"{PREFIX}/s/" in line or f"{PREFIX}/sessies" in line]
    logged = procs.log(server)
    for secret in (deck.code, deck.secret, cookie):
        assert secret and secret not in logged and secret not in nginx_log
    requests = [parse_text(line) for line in logged.splitlines() if "logger=zevenstops.access" in line]
    paths = {r["path"] for r in requests}
    assert {f"{PREFIX}/sessies", f"{PREFIX}/s/…/antwoord", f"{PREFIX}/sessies/…/halte", f"{PREFIX}/s/"} <= paths
    assert all("client" not in r for r in requests)
    assert ' - "GET' not in logged and ' - "POST' not in logged  # no access line of uvicorn's or gunicorn's own
