"""The accessibility statement (toegankelijkheid.md): loaded into the guide and checked by `metro check`."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from app.cli import main as metro
from app.content import AccessibilityStatement, Problem, load_guide
from tests.conftest import REAL_CONTENT
from tests.test_content import edit, problems

S = "toegankelijkheid.md"
SECTIONS = [
    "Waar gaat deze verklaring over",
    "Standaard",
    "Nalevingsstatus",
    "Hoe is dit onderzocht",
    "Bekende beperkingen",
    "Toegankelijkheidsprobleem melden",
]


def dated(root: Path, when: date) -> None:
    edit(root, S, "datum: 2999-01-01", f"datum: {when.isoformat()}")


def test_the_real_statement_follows_the_model_statement() -> None:
    statement = load_guide(REAL_CONTENT).accessibility
    assert isinstance(statement, AccessibilityStatement)
    assert [s.title for s in statement.sections] == SECTIONS
    assert statement.status == "voldoet"  # as the record: every criterion met or not applicable
    assert statement.contact == ""  # the page takes it from ZEVENSTOPS_CONTACT
    assert all(s.text.strip() for s in statement.sections)
    assert "WCAG 2.2" in statement.sections[1].text and "EN 301 549" in statement.sections[1].text
    assert not any(word in s.text.split() for s in statement.sections for word in ("Wij", "wij", "ons", "we"))


def test_the_fixture_statement(content_copy: Path) -> None:
    guide = load_guide(content_copy, relative_to=content_copy)
    statement = guide.accessibility
    assert (statement.date, statement.status, statement.path) == (date(2999, 1, 1), "voldoet gedeeltelijk", S)
    assert statement.contact == "[toegankelijkheid@testdorp.nl](mailto:toegankelijkheid@testdorp.nl)"
    assert [s.title for s in statement.sections] == SECTIONS
    assert statement.sections[3].text == "- Een test.\n"
    assert guide.warnings == ()
    assert [s.slug for s in guide.stations] == ["ambitie", "orde", "leiderschap"]  # not taken for a stop


def test_a_missing_statement(content_copy: Path) -> None:
    (content_copy / S).unlink()
    assert problems(content_copy) == [
        f"{S}: toegankelijkheid.md ontbreekt: de toegankelijkheidsverklaring is verplicht "
        "(Besluit digitale toegankelijkheid overheid)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "## Bekende beperkingen\n\n- Een beperking.\n\n",
            "",
            f"{S}:23: sectie 'Bekende beperkingen' ontbreekt (verwacht na 'Hoe is dit onderzocht')",
        ),
        ("- Een beperking.\n", "", f"{S}:23: sectie 'Bekende beperkingen' is leeg"),
        (
            "datum: 2999-01-01",
            "datum: 23-11-2026",
            f"{S}:2: 'datum' moet een datum zijn als 2026-06-30 (jaar-maand-dag), niet '23-11-2026'",
        ),
        (
            "datum: 2999-01-01",
            "datum: 2026-02-30",
            f"{S}:2: 'datum' moet een datum zijn als 2026-06-30 (jaar-maand-dag), niet '2026-02-30'",
        ),
        (
            "status: voldoet gedeeltelijk",
            "status: bijna",
            f"{S}:3: 'status' is 'bijna'; kies uit: voldoet, voldoet gedeeltelijk, voldoet niet",
        ),
        (
            "status: voldoet gedeeltelijk",
            "status: voldoet",
            f"{S}:15: 'Nalevingsstatus' noemt de status uit de kop niet: schrijf dat de gids 'voldoet' "
            "(of pas 'status' aan)",
        ),
        ("status: voldoet gedeeltelijk\n", "", f"{S}:1: gegeven 'status' ontbreekt in de kop"),
        (
            "contact: ",
            "email: ",
            f"{S}:4: onbekend gegeven 'email' in de kop (toegestaan: datum, status, contact)",
        ),
        (
            'contact: "[toegankelijkheid@testdorp.nl](mailto:toegankelijkheid@testdorp.nl)"',
            'contact: "<a href=\\"mailto:x@y.nl\\">x</a>"',
            f"{S}:4: HTML is niet toegestaan in 'contact', schrijf Markdown: '<a href=\"mailto:x@y.nl\">'",
        ),
    ],
)
def test_each_statement_mistake_is_reported_with_file_and_line(
    content_copy: Path, old: str, new: str, expected: str
) -> None:
    edit(content_copy, S, old, new)
    assert expected in problems(content_copy)


def test_a_statement_older_than_12_months_is_a_warning_not_an_error(content_copy: Path) -> None:
    old = date.today() - timedelta(days=400)
    dated(content_copy, old)
    guide = load_guide(content_copy, relative_to=content_copy)
    assert guide.accessibility.date == old
    message = (
        f"de verklaring is van {old.isoformat()}, meer dan 12 maanden geleden: onderzoek de toegankelijkheid "
        "opnieuw en werk de verklaring en de datum bij"
    )
    assert guide.warnings == (Problem(S, 2, message, warning=True),)


def test_a_statement_of_eleven_months_ago_gives_no_warning(content_copy: Path) -> None:
    dated(content_copy, date.today() - timedelta(days=335))
    assert load_guide(content_copy).warnings == ()


PUBLISHER = {
    "ZEVENSTOPS_ORGANISATION": "Gemeente Voorbeeld",
    "ZEVENSTOPS_CONTACT": "privacy@gemeente.nl",
    "ZEVENSTOPS_LOG_DAYS": "14",
}


def test_metro_check_prints_the_warning_and_exits_0(
    content_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(content_copy.parent)
    for name, value in PUBLISHER.items():  # the privacy page's own warning is tested in its place
        monkeypatch.setenv(name, value)
    old = date.today() - timedelta(days=400)
    dated(content_copy, old)
    assert metro(["--content", str(content_copy), "check"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"nl/{S}:2: waarschuwing: de verklaring is van {old.isoformat()}, meer dan 12 maanden geleden: "
        "onderzoek de toegankelijkheid opnieuw en werk de verklaring en de datum bij"
    ]
    assert captured.out.startswith("In orde: 3 haltes")


def test_metro_check_prints_warnings_beside_errors(
    content_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(content_copy.parent)
    dated(content_copy, date.today() - timedelta(days=400))
    edit(content_copy, "01-ambitie.md", "wie: wethouder", "wie:")
    assert metro(["--content", str(content_copy), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "nl/01-ambitie.md:26: veld 'wie' is leeg in '::: citaat'"
    assert err[1].startswith(f"nl/{S}:2: waarschuwing: de verklaring is van ")
    assert err[2] == "1 probleem gevonden."
