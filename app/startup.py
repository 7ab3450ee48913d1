"""Stop the whole service when a worker cannot start: uvicorn's and gunicorn's parents must not respawn it.

A bad setting or broken content fails every worker the same way, so restarting them only
hides the fault (systemd sees a running service, nginx answers 502). Exit code 3 is what both
supervisors read as "failed to boot": gunicorn halts with it, uvicorn stops its parent. uvicorn's
parent then exits 0, which systemd's Restart=on-failure and an operator's shell would read as a
clean stop; so a worker of `uvicorn --workers N` also ends its parent with SIGKILL, after the
Dutch message is in the log (the other workers fail on the same fault and exit by themselves).
Not after a reload (SIGHUP to uvicorn's parent): once a worker has started well, uvicorn keeps
the old workers when a new one fails, and the service goes on with the last good content.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import tempfile
from pathlib import Path

BOOT_FAILED = 3  # gunicorn's WORKER_BOOT_ERROR and uvicorn's STARTUP_FAILURE


def _uvicorn_supervisor() -> int | None:
    """The pid of the `uvicorn --workers N` parent that spawned this process, or None."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.pid != os.getppid() or "gunicorn" in sys.modules:
        return None
    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path()
    return parent.pid if "uvicorn" in (program.name, program.parent.name) else None


def _served_mark(supervisor: int) -> Path:
    return Path(tempfile.gettempdir()) / f"zevenstops-served-{supervisor}"


def served() -> None:
    """Note that a worker of this supervisor started well: a later failure is a reload, not a start."""
    supervisor = _uvicorn_supervisor()
    # On `kill -HUP` (systemctl reload) uvicorn starts new workers and keeps the old ones when a
    # new one fails: then the service goes on with the last good content instead of ending.
    if supervisor is not None and not _served_mark(supervisor).exists():
        with contextlib.suppress(OSError):
            _served_mark(supervisor).touch()


def fail(lines: list[str]) -> None:
    """Write the Dutch `lines` to the log and stop this worker and its supervisor; never returns."""
    for line in lines:
        print(line, file=sys.stderr)
    supervisor = _uvicorn_supervisor()
    # On `kill -HUP` (systemctl reload) uvicorn starts new workers and keeps the old ones when a
    # new one fails: then the service goes on with the last good content instead of ending.
    if supervisor is not None and not _served_mark(supervisor).exists():
        print(f"De gids stopt de hele dienst (uvicorn, proces {supervisor}).", file=sys.stderr, flush=True)
        sys.stderr.flush()
        os.kill(supervisor, signal.SIGKILL)
    sys.stderr.flush()
    raise SystemExit(BOOT_FAILED)
