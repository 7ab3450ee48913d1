"""Build time: `build_site` on the real content now, and before the one-build refactor.

Both are timed the same way, each in a fresh Python process of its own (this venv's), on the
same content folder: the old code is taken from git (`git archive`) into a temporary folder and
imported from there. Wall time and CPU time are kept: on a shared machine the CPU time says
what the build costs, the wall time what an editor waits.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import run
from bench.servers import ROOT

BEFORE_COMMIT = "a18c682"  # the last commit before the one-build refactor (app/web.py built everything)

Timing = tuple[float, float]  # (wall seconds, CPU seconds)

# Runs inside the tree being measured (its `app` package first on sys.path). The first build in
# a process compiles templates and warms caches, as a server's start does; the later ones are
# what every rebuild costs.
SCRIPT = r"""
import json, sys, time
import app
from app.config import Settings

runs, mode = int(sys.argv[1]), sys.argv[2]
settings = Settings.from_env()
out = {"module": app.__file__, "builds": [], "serve": [], "brotli": {}, "entries": 0}

def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, (time.perf_counter() - wall, time.process_time() - cpu)

if mode == "new":
    from app.build import build_site
    from app.http import Served, compress_in_background
    ancestors = " ".join(settings.frame_ancestors)
    for _ in range(runs + 1):
        site, t = timed(lambda: build_site(settings))
        out["builds"].append(t)
        served, t = timed(lambda: Served(site, ancestors))
        out["serve"].append(t)
    out["entries"] = len(site.entries)
    for quality in (5, 11):
        served = Served(site, ancestors)
        _, t = timed(lambda: compress_in_background(served.resources.values(), quality=quality).join())
        out["brotli"][quality] = t
else:
    from app.web import build_site
    for _ in range(runs + 1):
        site, t = timed(lambda: build_site(settings))
        out["builds"].append(t)
    out["entries"] = len(site.resources)
print(json.dumps(out))
"""


@dataclass
class Side:
    """One tree's timings: the first build in a fresh process, then `runs` more."""

    builds: list[Timing] = field(default_factory=list)
    serve: list[Timing] = field(default_factory=list)  # new only: wrapping the build for HTTP (gzip)
    brotli: dict[int, Timing] = field(default_factory=dict)  # new only: background brotli per quality
    entries: int = 0
    error: str = ""

    @property
    def first(self) -> Timing:
        return self.builds[0]

    def median(self, which: str = "builds", index: int = 0) -> float:
        later = getattr(self, which)[1:]
        return statistics.median(t[index] for t in later)


@dataclass
class BuildTimes:
    runs: int
    content_dir: Path
    before_commit: str
    now: Side
    before: Side


def _measure(tree: Path, mode: str, runs: int, content_dir: Path) -> Side:
    env = {**os.environ, "PYTHONPATH": str(tree), "ZEVENSTOPS_CONTENT_DIR": str(content_dir)}
    env.pop("ZEVENSTOPS_BASE_URL", None)
    done = run([sys.executable, "-c", SCRIPT, str(runs), mode], cwd=tree, env=env, timeout=90 * (runs + 1))
    if done.returncode != 0:
        return Side(error=f"exit {done.returncode}: {done.stderr.strip()[-1500:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    if not Path(data["module"]).resolve().is_relative_to(tree.resolve()):
        return Side(error=f"imported {data['module']} instead of the tree in {tree}")
    return Side(
        builds=[tuple(t) for t in data["builds"]],
        serve=[tuple(t) for t in data["serve"]],
        brotli={int(q): tuple(t) for q, t in data["brotli"].items()},
        entries=data["entries"],
    )


def old_tree(commit: str, dest: Path) -> Path:
    """The source tree at `commit`, unpacked from git into `dest` (which the caller removes)."""
    done = run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{commit}^{{commit}}"], timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"commit {commit} is not in this repository: {done.stderr.strip()}")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit], capture_output=True, timeout=60, check=False
    )
    if archive.returncode != 0:
        raise RuntimeError(f"git archive {commit} failed: {archive.stderr.decode(errors='replace')}")
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest


# Files the content has gained since; the old loader would refuse them as badly named stops.
NEWER_FILES = ("toegankelijkheid.md",)


def _old_content(content_dir: Path, tmp: Path) -> Path:
    """The same stops and site text, without the files the old code does not know."""
    target = tmp / "content-for-the-old-code"
    shutil.copytree(content_dir, target, ignore=shutil.ignore_patterns(*NEWER_FILES), dirs_exist_ok=True)
    return target


def measure(runs: int, content_dir: Path, tmp: Path, commit: str = BEFORE_COMMIT) -> BuildTimes:
    """Time the build now and at `commit`, on the same content; the old tree lives in `tmp`."""
    now = _measure(ROOT, "new", runs, content_dir)
    try:
        before = _measure(old_tree(commit, tmp / f"before-{commit}"), "old", runs, _old_content(content_dir, tmp))
    except RuntimeError as err:
        before = Side(error=str(err))
    return BuildTimes(runs, content_dir, commit, now, before)


def commands(runs: int, content_dir: Path, tmp: Path, commit: str = BEFORE_COMMIT) -> list[tuple[str, str]]:
    """The build-time runs as shell commands, for the report (SCRIPT is the one in this module)."""
    tree = tmp / f"before-{commit}"
    env = f"ZEVENSTOPS_CONTENT_DIR={content_dir}"
    return [
        ("build time, now", f'cd {ROOT} && PYTHONPATH={ROOT} {env} {sys.executable} -c "$SCRIPT" {runs} new'),
        (
            "build time, before",
            f"git -C {ROOT} archive {commit} | tar -x -C {tree} && cd {tree} && PYTHONPATH={tree} {env} "
            f'{sys.executable} -c "$SCRIPT" {runs} old',
        ),
    ]


def _s(t: float) -> str:
    return f"{t:.2f} s"


def _row(name: str, label: str, m: Side, failed: str = "failed") -> str:
    """A tree's row: its first build (wall / CPU), the median of the others (wall, CPU), its entries."""
    if m.error:
        return f"| {name} | {failed}: {m.error} | | | |"
    return (
        f"| {label} | {_s(m.first[0])} / {_s(m.first[1])} | **{_s(m.median())}** | {_s(m.median(index=1))} "
        f"| {m.entries} |"
    )


def table(b: BuildTimes) -> str:
    """The build-time table and what it means, in Markdown."""
    rows = [
        f"| build | first in a fresh process (wall / CPU) | median of the next {b.runs} (wall) | (CPU) | entries |",
        "|---|---:|---:|---:|---:|",
    ]
    now, old = b.now, b.before
    rows.append(_row("now", "now: `app.build.build_site`", now))
    if not now.error:
        rows.append(
            f"| now: + `app.http.Served` (gzip of every entry) | {_s(now.serve[0][0])} / {_s(now.serve[0][1])} "
            f"| {_s(now.median('serve'))} | {_s(now.median('serve', 1))} | |"
        )
    before = f"before ({b.before_commit})"
    rows.append(
        _row(before, f"{before}: `app.web.build_site` (gzip 9 and brotli 11 inline)", old, "could not be measured")
    )
    lines = ["\n".join(rows), ""]
    if not now.error and not old.error:
        ready_now = now.median() + now.median("serve")
        ready_now_cpu = now.median(index=1) + now.median("serve", 1)
        lines.append(
            f"A rebuild is served after build + `Served`: {_s(ready_now)} now against {_s(old.median())} before, "
            f"**{old.median() / ready_now:.1f}× faster** in wall time ({old.median(index=1) / ready_now_cpu:.1f}× "
            "in CPU time)."
        )
    if now.brotli:
        q5, q11 = now.brotli.get(5), now.brotli.get(11)
        lines.append(
            "Brotli of every entry, which the server now adds in a background thread after it has started serving "
            "(gzip until then): "
            + (f"quality 11 (production) {_s(q11[0])} wall / {_s(q11[1])} CPU" if q11 else "")
            + (f"; quality 5 (`metro serve --reload`) {_s(q5[0])} / {_s(q5[1])}" if q5 else "")
            + "."
        )
    return "\n".join(lines)
