"""Lighthouse (npm) on Debian's Chromium, default mobile settings, installed into bench/.node/."""

from __future__ import annotations

import json
import os
import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app.browser import CHROMIUM_ARGS
from bench.budget import CHROMIUM
from bench.procs import Processes, run

NODE_DIR = Path(__file__).resolve().parent / ".node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


@dataclass
class Report:
    url: str
    scores: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, str] = field(default_factory=dict)
    missed: dict[str, list[str]] = field(default_factory=dict)  # category -> audits below full score
    skipped: str = ""
    performance_runs: list[int] = field(default_factory=list)  # every run's performance score

    @property
    def met(self) -> bool:
        return not self.skipped and all(self.scores.get(c, 0) >= t for c, t in TARGETS.items())


def ensure_installed() -> str:
    """Install Lighthouse with npm into bench/.node/ when it is not there yet; return its version."""
    if not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm not found: Lighthouse needs Node.js and npm (apt-get install nodejs npm)")
        done = run([npm, "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "lighthouse"], timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"npm install lighthouse failed:\n{done.stderr[-3000:]}")
    return run([str(LIGHTHOUSE), "--version"], timeout=60).stdout.strip()


def command(url: str, out: Path) -> list[str]:
    return [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]


def audit_median(url: str, out_dir: Path, runs: int) -> Report:
    """Run Lighthouse `runs` times and keep the run with the median performance score.

    Lighthouse's own advice for its run-to-run variance (simulated throttling still depends on
    how fast the machine is at that moment); the other categories do not vary between runs.
    """
    reports = [audit(url, out_dir / f"run-{i}.json") for i in range(runs)]
    ordered = sorted(reports, key=lambda rep: rep.scores["performance"])
    chosen = ordered[(len(ordered) - 1) // 2]
    chosen.performance_runs = [rep.scores["performance"] for rep in reports]
    return chosen


def audit(url: str, out: Path) -> Report:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = run(command(url, out), timeout=240, env=env)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url} ({done.returncode}):\n{done.stderr[-3000:]}")
    data = json.loads(out.read_text())
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {data['runtimeError']}")
    report = Report(url)
    for name in CATEGORIES:
        category = data["categories"][name]
        report.scores[name] = round((category["score"] or 0) * 100)
        missed = []
        for ref in category["auditRefs"]:
            result = data["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and result.get("score") is not None and result["score"] < 1:
                missed.append(f"{ref['id']} ({result['score']:.2f})")
        report.missed[name] = missed
    for metric in METRICS:
        result = data["audits"].get(metric)
        if result:
            report.metrics[metric] = result.get("displayValue", "")
    return report


def audit_paths(
    procs: Processes, base: str, paths: list[str], tmp: Path, runs: int, say: Callable[[str], None]
) -> tuple[str, list[Report]]:
    """Audit every path on the server at `base` (skipping those that do not answer 200); the version and reports."""
    version = ensure_installed()
    reports: list[Report] = []
    for path in paths:
        url = base + path
        status = httpx.get(url, timeout=10).status_code
        if status != 200:
            reports.append(Report(url, skipped=f"{path} answers {status}"))
            say(f"  {path}: skipped, it answers {status}")
            continue
        out_dir = tmp / f"lighthouse-{len(reports)}"
        out_dir.mkdir()
        procs.commands.append(
            ("lighthouse", f"CHROME_PATH={CHROMIUM} " + shlex.join(command(url, Path("report.json"))))
        )
        rep = audit_median(url, out_dir, runs)
        reports.append(rep)
        per_run = f" (performance per run: {', '.join(map(str, rep.performance_runs))})" if runs > 1 else ""
        say(f"  {path}: " + ", ".join(f"{k} {v}" for k, v in rep.scores.items()) + per_run)
    return version, reports
