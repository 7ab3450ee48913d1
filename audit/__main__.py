"""`python -m audit`: run the tests the WCAG criteria name; write docs/accessibility.md and app/tested.json."""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from app import tested
from audit.criteria import CRITERIA, Criterion

ROOT = Path(__file__).resolve().parent.parent


def node_ids() -> list[str]:
    return sorted({test for criterion in CRITERIA for test in criterion.tests})


def run_tests(ids: list[str]) -> dict[str, str]:
    """Run the named tests once; return "file::name" -> "geslaagd" / "mislukt" / "overgeslagen"."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *ids],
            cwd=ROOT,
            check=False,
        )
        tree = ET.parse(report)
    outcome: dict[str, str] = {}
    for case in tree.iter("testcase"):
        file = case.get("classname", "").replace(".", "/") + ".py"
        name = case.get("name", "").split("[")[0]
        key = f"{file}::{name}"
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        status = "mislukt" if failed else "overgeslagen" if skipped else "geslaagd"
        # A parametrised test counts as passed only when every case passed.
        if outcome.get(key) in (None, "geslaagd"):
            outcome[key] = status
    return outcome


def status(criterion: Criterion, outcome: dict[str, str]) -> str:
    if criterion.not_applicable:
        return "niet van toepassing"
    results = [outcome.get(test, "niet gedraaid") for test in criterion.tests]
    if any(result != "geslaagd" for result in results):
        return "voldoet niet (test " + ", ".join(sorted(set(r for r in results if r != "geslaagd"))) + ")"
    return "voldoet" + (" (deels handmatig)" if criterion.manual else "")


def markdown(outcome: dict[str, str], when: dt.datetime) -> str:
    lines = [
        "# Toegankelijkheid: conformiteit met WCAG 2.2 niveau AA",
        "",
        "Per succescriterium van WCAG 2.2 (niveau A en AA; EN 301 549 vraagt die van WCAG 2.1, 4.1.1 vervalt in 2.2): hoe de gids eraan",
        "voldoet en welke tests dat controleren. **Dit bestand wordt geschreven door `make accessibility`**",
        "(`python -m audit`), dat de genoemde tests draait; de lijst zelf staat in `audit/criteria.py`.",
        "",
        f"Laatst bijgewerkt: {when:%Y-%m-%d %H:%M} UTC, met {len(outcome)} tests.",
        "",
    ]
    counts: dict[str, int] = {}
    for criterion in CRITERIA:
        key = status(criterion, outcome).split(" (")[0]
        counts[key] = counts.get(key, 0) + 1
    lines += [", ".join(f"{n} × {k}" for k, n in sorted(counts.items())) + ".", ""]
    lines += ["| criterium | niveau | status | hoe | getest door |", "|---|---|---|---|---|"]
    for criterion in CRITERIA:
        how = criterion.not_applicable or criterion.how
        if criterion.manual:
            how += f" *Handmatig:* {criterion.manual}"
        tests = "<br>".join(
            f"`{t.removeprefix('tests/')}` ({outcome.get(t, 'niet gedraaid')})" for t in criterion.tests
        )
        lines.append(
            f"| {criterion.number} {criterion.name} | {criterion.level} | {status(criterion, outcome)} | {how} | {tests or '—'} |"
        )
    lines += [
        "",
        "## Pdf's: PDF/UA-1",
        "",
        "Elke pdf van de gids (de hand-out per halte, het boekje, het werkblad per halte, de scan op papier en de",
        "uitslag van een live sessie) is dezelfde pagina, door Chromium gedrukt met tags, en daarna afgemaakt door",
        "`app/pdfua.py`: versiering (het cijfer in het haltebolletje, achtergronden, randen) is een artefact, een",
        "citaat is een BlockQuote met de bron erbij, elke afbeelding heeft een alternatieve tekst, lijstitems hebben",
        "Lbl en LBody, elke link een beschrijving (zijn naam op de pagina), en de metadata noemen titel, taal (nl) en",
        "PDF/UA-1. `pdfua` (16 van de machinaal controleerbare regels van PDF/UA-1) vindt in geen pdf een fout of",
        "waarschuwing: `browser/test_pdfua.py` controleert elke soort, en met pikepdf elk van deze punten apart.",
        "Wat geen machine kan beoordelen (of een alternatieve tekst goed is, de leesvolgorde) volgt uit de pagina,",
        "waarvoor de criteria hierboven gelden.",
        "",
        "Automatische tests vinden niet alles. Bij grote wijzigingen lopen we de gids ook met de hand door: alleen",
        "het toetsenbord, een contrastthema (Windows), de tekstafstand van 1.4.12 en 400 % zoom.",
        "",
    ]
    return "\n".join(lines)


def record(outcome: dict[str, str], when: dt.datetime) -> tested.Record:
    """The same outcome for the statement page (app/tested.py)."""
    criteria = tuple(tested.Tested(c.number, c.name, c.level, status(c, outcome)) for c in CRITERIA)
    return tested.Record(written=when.replace(second=0, microsecond=0), tests=len(outcome), criteria=criteria)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m audit", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "accessibility.md")
    parser.add_argument("--record", type=Path, default=tested.RECORD)
    args = parser.parse_args(argv)
    outcome = run_tests(node_ids())
    now = dt.datetime.now(dt.UTC)
    args.out.write_text(markdown(outcome, now), "utf-8")
    args.record.write_text(tested.dump(record(outcome, now)), "utf-8")
    failed = [c.number for c in CRITERIA if status(c, outcome).startswith("voldoet niet")]
    print(f"{args.out}: {len(CRITERIA)} criteria, {len(failed)} met een mislukte test {failed or ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
