"""gunicorn settings for Zeven stops: several uvicorn worker processes under /zevenstops/.

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py app.main:app

An alternative to the uvicorn command in deploy/zevenstops.service (put this command in its
ExecStart), behind deploy/nginx-subpath.conf. Command-line options override what is set here,
e.g. `--bind 127.0.0.1:8001 --workers 4`. Tested by tests/deploy/test_workers.py.
"""

from __future__ import annotations

from typing import Any, ClassVar

# uvicorn's worker class for gunicorn. uvicorn calls this module deprecated in favour of the
# separate `uvicorn-worker` package, which is not installed here; it works the same.
from uvicorn.workers import UvicornWorker

bind = "127.0.0.1:8000"
workers = 2
keepalive = 5
timeout = 60  # a worker printing a PDF is busy for seconds; one silent for a minute is restarted
graceful_timeout = 20
forwarded_allow_ips = "127.0.0.1"  # trust X-Forwarded-For/-Proto from nginx on this machine only
# No access log of gunicorn's own (its format names the client's address and the full request
# line, with a live session's code): the guide logs each request itself, one line on standard
# error without the client's address and with the code masked (app/logs.py; ZEVENSTOPS_LOG_FORMAT,
# ZEVENSTOPS_LOG_ADDRESSES). This format, should a log of gunicorn's own ever be switched on,
# leaves out the address (%(h)s), the query string and the user agent; its path would still
# hold a session's code, which is why accesslog stays off. (uvicorn's worker logs through the
# guide anyway: app/logs.py takes over its loggers when the app loads.)
accesslog = None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# gunicorn's control socket (gunicornc) would live in HOME; systemd already starts and stops it.
control_socket_disable = True


class SubPathWorker(UvicornWorker):
    """uvicorn's worker, mounted at /zevenstops (uvicorn's --root-path) behind the proxy."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        **UvicornWorker.CONFIG_KWARGS,
        "root_path": "/zevenstops",
        "proxy_headers": True,
        "server_header": False,
    }


worker_class = SubPathWorker
