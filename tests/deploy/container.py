"""Build the container image with buildah, and its Debian base when it cannot be pulled.

Base images cannot be pulled on the test machines, so the base the Containerfile names
(`debian:bookworm-slim`) is made from Debian packages: `debootstrap --variant=minbase bookworm`,
committed with `buildah from scratch`. The debootstrap tree is kept under
$XDG_CACHE_HOME/zevenstops-container (default ~/.cache), so only the first run pays for it;
buildah's own layer cache and the `RUN --mount=type=cache` uv and pip caches do the rest.

By hand: `python -m tests.deploy.container` builds the base (if absent) and both images.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from app.config import ROOT

BASE = "debian:bookworm-slim"
IMAGE = "localhost/zevenstops:test"
SLIM = "localhost/zevenstops:test-slim"
MIRROR = os.environ.get("ZEVENSTOPS_DEBIAN_MIRROR", "http://deb.debian.org/debian")
CA = "/etc/ssl/certs/ca-certificates.crt"  # the host's trust, lent to the build (a TLS proxy's CA)
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zevenstops-container"


def missing() -> str | None:
    """Why the container cannot be built here, or None."""
    for program in ("buildah", "debootstrap"):
        if shutil.which(program) is None:
            return f"{program} is not installed (Debian package {program}; .ci/run provisions it)"
    if os.geteuid() != 0:
        return "buildah with chroot isolation and debootstrap need root here"
    return None


def buildah(*args: str, timeout: float = 1800, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["buildah", *args], capture_output=True, text=True, timeout=timeout, check=check)


def exists(image: str) -> bool:
    return buildah("inspect", "--type", "image", image, check=False).returncode == 0


def ensure_base(log: Callable[[str], None] = print) -> None:
    """Commit `debian:bookworm-slim` from a cached debootstrap tree, unless it is present."""
    if exists(BASE):
        return
    rootfs = CACHE / "rootfs"
    if not (rootfs / "usr/bin/apt-get").exists():
        partial = CACHE / "rootfs.partial"
        shutil.rmtree(partial, ignore_errors=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        log(f"[long step] debootstrap --variant=minbase bookworm from {MIRROR} (about 30 s, cached after)")
        subprocess.run(
            ["debootstrap", "--variant=minbase", "bookworm", str(partial), MIRROR],
            capture_output=True,
            check=True,
            timeout=1800,
        )
        (partial / "etc/apt/sources.list").write_text(
            f"deb {MIRROR} bookworm main\ndeb {MIRROR} bookworm-updates main\n"
            "deb http://deb.debian.org/debian-security bookworm-security main\n"
        )
        shutil.rmtree(partial / "var/cache/apt/archives", ignore_errors=True)
        (partial / "var/cache/apt/archives/partial").mkdir(parents=True)
        partial.rename(rootfs)
    container = buildah("from", "scratch").stdout.strip()
    try:
        buildah("copy", "--quiet", container, str(rootfs), "/")
        buildah("config", "--cmd", "bash", container)
        buildah("commit", "--quiet", "--rm", container, BASE)
    except BaseException:
        buildah("rm", container, check=False)
        raise


def build(tag: str, target: str) -> float:
    """Build the Containerfile's `target` as `tag`; the seconds it took."""
    started = time.monotonic()
    result = buildah(
        "bud", "--isolation", "chroot", "--format", "docker", "--layers", "--force-rm", "--pull=never", "--target", target,
        "--build-arg", "CA_BUNDLE=/run/build-ca.crt", "-v", f"{CA}:/run/build-ca.crt:ro", "-f", str(ROOT / "Containerfile"), "-t", tag, str(ROOT),
        check=False,
    )  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"buildah bud --target {target} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return time.monotonic() - started


def size(image: str) -> float:
    """The image's size in MB, as `buildah images` reports it (uncompressed layers, "172 MB")."""
    number, unit = json.loads(buildah("images", "--json", image).stdout)[0]["size"].split()
    return float(number) * {"kB": 1e-3, "MB": 1, "GB": 1e3}[unit]


def main() -> int:
    reason = missing()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    ensure_base()
    for tag, target in ((SLIM, "slim"), (IMAGE, "full")):
        seconds = build(tag, target)
        print(f"{tag}: built in {seconds:.0f} s, {size(tag):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())


class Running:
    """The image's own command, run by `buildah run --isolation chroot` as its image user.

    buildah run has no --read-only: the container's root is bind-mounted read-only over itself
    before the run (what a runtime's read-only root does), with `data` at /data and a tmpfs at
    /tmp, the only places the guide may write. chroot isolation shares the host's network, so
    the guide listens on the host at ZEVENSTOPS_PORT.
    """

    def __init__(self, image: str, data: Path, port: int, env: dict[str, str] | None = None):
        self.image, self.data, self.port, self.env = image, data, port, env or {}
        self.container = ""
        self.mountpoint = ""
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data.parent / f"container-{port}.log"

    def command(self) -> list[str]:
        """The image's CMD, as a container engine would start it."""
        config = json.loads(buildah("inspect", "--type", "image", self.image).stdout)
        return list(config["OCIv1"]["config"]["Cmd"])

    def __enter__(self) -> Running:
        self.container = buildah("from", "--pull=never", self.image).stdout.strip()
        self.mountpoint = buildah("mount", self.container).stdout.strip()
        (Path(self.mountpoint) / "run/.containerenv").touch()  # buildah binds it; it cannot on a read-only root
        subprocess.run(["mount", "--bind", self.mountpoint, self.mountpoint], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", self.mountpoint], check=True)
        user = json.loads(buildah("inspect", "--type", "image", self.image).stdout)["OCIv1"]["config"]["User"]
        env = [f"--env={k}={v}" for k, v in {"ZEVENSTOPS_PORT": str(self.port), **self.env}.items()]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                ["buildah", "run", "--isolation", "chroot", "--user", user, "--volume", f"{self.data}:/data",
                 "--mount", "type=tmpfs,destination=/tmp", *env, self.container, "--", *self.command()],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def wait_healthy(self, deadline: float = 120) -> float:
        """Seconds until /healthz answers 200 (the start time)."""
        import httpx

        started = time.monotonic()
        while time.monotonic() - started < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"the container stopped:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.2)  # polling a server that is starting: nothing to wait on but the port
        raise AssertionError(f"no /healthz within {deadline} s:\n{self.log.read_text()[-3000:]}")

    def healthcheck(self) -> tuple[int, str]:
        """Run the image's HEALTHCHECK command against the running guide, as an engine does; exit code, output."""
        config = json.loads(buildah("inspect", "--type", "image", self.image).stdout)["Docker"]["config"]
        kind, *command = config["Healthcheck"]["Test"]
        assert kind == "CMD"
        # A second `buildah run` cannot share the running container (its root is read-only), so the
        # check runs in a fresh container of the same image: the same command, network and user.
        checker = buildah("from", "--pull=never", self.image).stdout.strip()
        try:
            result = buildah(
                "run", "--isolation", "chroot", "--user", config["User"], "--env", f"ZEVENSTOPS_PORT={self.port}",
                checker, "--", *command, check=False, timeout=60,
            )  # fmt: skip
        finally:
            buildah("rm", checker, check=False)
        return result.returncode, result.stdout + result.stderr

    def server_pids(self) -> list[int]:
        """The `metro serve` this run started (chroot isolation shares the host's process table)."""
        wanted = f"--port\0{self.port}\0"
        found = []
        for entry in Path("/proc").iterdir():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if entry.name.isdigit() and "metro\0serve" in cmdline and wanted in cmdline + "\0":
                found.append(int(entry.name))
        return found

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            # buildah 1.28's chroot run kills its command on SIGTERM instead of passing it on; a
            # container engine sends SIGTERM to the command (PID 1), so that is what is done here.
            for pid in self.server_pids():
                os.kill(pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.mountpoint:
            subprocess.run(["umount", self.mountpoint], check=False)
        if self.container:
            buildah("rm", self.container, check=False)
