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
            f"{S}:4: onbekend gegeven 'email' in de kop "
            "(toegestaan: datum, status, contact, eigen_controle, eigen_controle_datum)",
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


OWN = 'eigen_controle: "Met NVDA en alleen het toetsenbord doorlopen."\neigen_controle_datum: 2026-11-30\n'


def own_check(root: Path, lines: str) -> None:
    edit(root, S, "status: voldoet gedeeltelijk\n", "status: voldoet gedeeltelijk\n" + lines)


def test_the_organisations_own_check_and_its_date_are_read(content_copy: Path) -> None:
    own_check(content_copy, OWN)
    statement = load_guide(content_copy).accessibility
    assert (statement.own_check, statement.own_check_date) == (
        "Met NVDA en alleen het toetsenbord doorlopen.",
        date(2026, 11, 30),
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            'eigen_controle: "Met NVDA doorlopen."\n',
            f"{S}:4: 'eigen_controle' staat er, 'eigen_controle_datum' niet: vul beide in (wat de organisatie "
            "zelf heeft gecontroleerd, en de datum van die controle), of geen van beide",
        ),
        (
            "eigen_controle_datum: 2026-11-30\n",
            f"{S}:4: 'eigen_controle_datum' staat er, 'eigen_controle' niet: vul beide in (wat de organisatie "
            "zelf heeft gecontroleerd, en de datum van die controle), of geen van beide",
        ),
        (
            OWN.replace("2026-11-30", "30 november"),
            f"{S}:5: 'eigen_controle_datum' moet een datum zijn als 2026-06-30 (jaar-maand-dag), niet '30 november'",
        ),
        (
            OWN.replace("2026-11-30", "2999-12-31"),
            f"{S}:5: 'eigen_controle_datum' is 2999-12-31, een dag die nog moet komen: noem de dag van de controle",
        ),
    ],
)
def test_each_own_check_mistake_is_reported_with_file_and_line(content_copy: Path, lines: str, expected: str) -> None:
    own_check(content_copy, lines)
    assert expected in problems(content_copy)


def test_the_page_separates_the_makers_tests_from_the_organisations_own_check(content_copy: Path) -> None:
    from dataclasses import replace

    from bs4 import BeautifulSoup
    from fastapi.testclient import TestClient

    from app import tested
    from app.config import Settings
    from app.web import create_app

    record = tested.load()
    assert record is not None

    def facts() -> tuple[dict[str, object], BeautifulSoup]:
        with TestClient(create_app(replace(Settings(), content_dir=content_copy))) as client:
            page = BeautifulSoup(client.get("/toegankelijkheid/").text, "html.parser")
        return {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in page.select(".statement__facts dt")}, page

    before, page = facts()
    # The makers' tests: the record's date and counts, and a row per criterion with its outcome.
    makers = before["Getest door de makers"]
    assert makers.select_one("time")["datetime"] == record.written.date().isoformat()
    assert f"{record.tests} automatische tests" in makers.get_text()
    assert f"{record.count('voldoet')} succescriteria voldoen" in makers.get_text()
    rows = page.select("table.statement__tested tbody tr")
    assert [(r.th.get_text().split()[0], r.select("td")[-1].get_text()) for r in rows] == [
        (c.number, c.status) for c in record.criteria
    ]
    assert {"2.4.11", "2.5.7", "2.5.8", "3.2.6", "3.3.7", "3.3.8"} <= {c.number for c in record.criteria}
    # The organisation's own check is asked for until it is filled in.
    assert "statement__missing" in before["Eigen controle door de organisatie"]["class"]
    assert "eigen_controle_datum" in before["Eigen controle door de organisatie"].get_text()
    own_check(content_copy, OWN)
    after, _ = facts()
    own = after["Eigen controle door de organisatie"]
    assert own.get("class") is None
    assert own.get_text(" ", strip=True) == "Met NVDA en alleen het toetsenbord doorlopen. ( 30 november 2026 )"
    assert own.select_one("time")["datetime"] == "2026-11-30"
