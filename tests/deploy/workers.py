"""Which worker process answered a request: read from /proc, where the kernel says who holds the socket.

uvicorn and gunicorn do not say which worker answered, and should not; a test that claims two
workers serve the same bytes has to know that both answered.
"""

from __future__ import annotations

import hashlib
import http.client
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Answer:
    worker: int  # the process id that held the connection
    etag: str
    digest: str  # sha256 of the body


def _socket_inode(server_port: int, client_port: int) -> str:
    """The inode of the server's end of the loopback connection from `client_port`."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == client_port:
            return inode
    raise AssertionError(f"no connection from port {client_port} to {server_port} in /proc/net/tcp")


def _descendants(root: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # a process that ended meanwhile
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def holder(server_port: int, client_port: int, server: int) -> int:
    """The process below `server` that holds the server's end of this connection."""
    wanted = f"socket:[{_socket_inode(server_port, client_port)}]"
    for pid in sorted(_descendants(server) | {server}):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no process under {server} holds {wanted}")


def ask(
    port: int, server: int, path: str = "/", *, at_once: int = 4, at_least: int = 20, limit: int = 400
) -> list[Answer]:
    """GET `path` over new connections, several open at once, until two workers have answered.

    At least `at_least` answers; at most `limit` (which workers the kernel wakes is its choice).
    """
    answers: list[Answer] = []
    while len(answers) < limit and (len(answers) < at_least or len({a.worker for a in answers}) < 2):
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(at_once)]
        for connection in connections:
            connection.connect()
        for connection in connections:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200, f"{path}: {response.status}"
            worker = holder(port, connection.sock.getsockname()[1], server)
            answers.append(Answer(worker, response.getheader("etag") or "", hashlib.sha256(body).hexdigest()))
        for connection in connections:
            connection.close()
    return answers
