"""The accessibility statement: its layout after the Dutch model statement, and its checks."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from app.content.frontmatter import FrontMatter
from app.content.model import AccessibilityStatement, StatementSection
from app.content.report import Report
from app.content.sections import Layout, Section

STATEMENT_FILE = "toegankelijkheid.md"
STATEMENT_LAYOUT = Layout(
    keys=("datum", "status"),
    optional_keys=("contact", "eigen_controle", "eigen_controle_datum"),
    sections=(
        "Waar gaat deze verklaring over",
        "Standaard",
        "Nalevingsstatus",
        "Hoe is dit onderzocht",
        "Bekende beperkingen",
        "Toegankelijkheidsprobleem melden",
    ),
    subheaded=("Hoe is dit onderzocht", "Bekende beperkingen"),
)
# The statuses of the EU model statement; each pattern finds the status in a sentence.
STATUSES = {
    "voldoet": re.compile(r"\bvoldoet\b(?!\s+(?:gedeeltelijk|niet)\b)", re.IGNORECASE),
    "voldoet gedeeltelijk": re.compile(r"\bvoldoet\s+gedeeltelijk\b", re.IGNORECASE),
    "voldoet niet": re.compile(r"\bvoldoet\s+niet\b", re.IGNORECASE),
}
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def statement(
    report: Report, path: Path, meta: FrontMatter, sections: dict[str, Section], *, today: date | None = None
) -> AccessibilityStatement | None:
    """Check the statement's date, status and sections; return it, or None when it cannot be shown."""
    when = _date(report, path, meta, today or date.today())
    status = " ".join(meta["status"].lower().split())
    ok = when is not None
    if status not in STATUSES:
        report.problem(path, meta.line("status"), f"'status' is '{meta['status']}'; kies uit: {', '.join(STATUSES)}")
        ok = False
    elif not STATUSES[status].search(sections["Nalevingsstatus"].source):
        report.problem(
            path,
            sections["Nalevingsstatus"].line,
            f"'Nalevingsstatus' noemt de status uit de kop niet: schrijf dat de gids '{status}' (of pas 'status' aan)",
        )
        ok = False
    for title in STATEMENT_LAYOUT.sections:
        if not sections[title].source.strip():
            report.problem(path, sections[title].line, f"sectie '{title}' is leeg")
            ok = False
    own_check, own_check_date = _own_check(report, path, meta, today or date.today())
    if not ok or when is None or own_check is None:
        return None
    return AccessibilityStatement(
        date=when,
        status=status,
        contact=meta.get("contact").strip(),
        sections=tuple(StatementSection(t, sections[t].source) for t in STATEMENT_LAYOUT.sections),
        path=report.name(path),
        own_check=own_check,
        own_check_date=own_check_date,
    )


def _own_check(report: Report, path: Path, meta: FrontMatter, today: date) -> tuple[str | None, date | None]:
    """The organisation's own check and its date: both or neither. None when they are wrong."""
    text, day = meta.get("eigen_controle").strip(), meta.get("eigen_controle_datum").strip()
    if not text and not day:
        return "", None
    if not text or not day:
        given, missing = (
            ("eigen_controle_datum", "eigen_controle") if day else ("eigen_controle", "eigen_controle_datum")
        )
        report.problem(
            path,
            meta.line(given),
            f"'{given}' staat er, '{missing}' niet: vul beide in (wat de organisatie zelf heeft gecontroleerd, "
            "en de datum van die controle), of geen van beide",
        )
        return None, None
    try:
        when = date.fromisoformat(day) if ISO_DATE_RE.match(day) else None
    except ValueError:
        when = None
    if when is None:
        report.problem(
            path,
            meta.line("eigen_controle_datum"),
            f"'eigen_controle_datum' moet een datum zijn als 2026-06-30 (jaar-maand-dag), niet '{day}'",
        )
        return None, None
    if when > today:
        report.problem(
            path,
            meta.line("eigen_controle_datum"),
            f"'eigen_controle_datum' is {when.isoformat()}, een dag die nog moet komen: noem de dag van de controle",
        )
        return None, None
    return text, when


def _date(report: Report, path: Path, meta: FrontMatter, today: date) -> date | None:
    text, line = meta["datum"].strip(), meta.line("datum")
    try:
        when = date.fromisoformat(text) if ISO_DATE_RE.match(text) else None
    except ValueError:
        when = None
    if when is None:
        report.problem(path, line, f"'datum' moet een datum zijn als 2026-06-30 (jaar-maand-dag), niet '{text}'")
        return None
    if when < _a_year_before(today):
        report.warning(
            path,
            line,
            f"de verklaring is van {when.isoformat()}, meer dan 12 maanden geleden: onderzoek de toegankelijkheid "
            "opnieuw en werk de verklaring en de datum bij",
        )
    return when


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
