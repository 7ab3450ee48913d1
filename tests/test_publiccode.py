"""publiccode.yml follows the publiccode.yml standard 0.4, and LICENSE holds the whole EUPL-1.2.

The allowed values come from the standard's core schema (docs/standard/schema.core.rst,
categories-list.rst and scope-list.rst in github.com/publiccodeyml/publiccode.yml).
"""

from __future__ import annotations

import datetime
import re
import tomllib
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from app.config import ROOT

DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
CATEGORIES = set(
    """
    accounting agile-project-management applicant-tracking application-development appointment-scheduling backup
    billing-and-invoicing blog budgeting business-intelligence business-process-management cad call-center-management
    cloud-management collaboration communications compliance-management contact-management content-management crm
    customer-service-and-support data-analytics data-collection data-visualization design design-system
    digital-asset-management digital-citizenship document-management donor-management e-commerce e-signature
    educational-content email-management email-marketing employee-management enterprise-project-management
    enterprise-social-networking erp event-management facility-management feedback-and-reviews-management
    financial-reporting fleet-management fundraising gamification geographic-information-systems grant-management
    graphic-design help-desk hr ide identity-management instant-messaging inventory-management it-asset-management
    it-development it-management it-security it-service-management knowledge-management learning-management-system
    marketing mind-mapping mobile-marketing mobile-payment network-management office online-booking online-community
    payment-gateway payroll predictive-analysis procurement productivity-suite project-collaboration
    project-management property-management real-estate-management remote-support resource-management sales-management
    seo service-desk social-media-management survey talent-management task-management taxes-management
    test-management time-management time-tracking translation video-conferencing video-editing visitor-management
    voip warehouse-management web-collaboration web-conferencing website-builder whistleblowing workflow-management
    """.split()  # noqa: SIM905 — the standard's vocabulary, as printed there
)
SCOPES = set(
    """
    agriculture culture defence education emergency-services employment energy environment
    finance-and-economic-development foreign-affairs healthcare infrastructures justice local-authorities
    manufacturing research science-and-technology security society sport tourism transportation welfare
    """.split()  # noqa: SIM905 — the standard's vocabulary, as printed there
)
# BCP 47 as the standard uses it here: a primary language subtag, optionally a region.
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


@pytest.fixture(scope="module")
def publiccode() -> dict[str, Any]:
    # The standard requires UTF-8; safe_load reads YAML 1.1, which the standard still accepts.
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def is_url(value: object) -> bool:
    parts = urlsplit(str(value))
    return parts.scheme == "https" and bool(parts.netloc)


def test_top_level_keys(publiccode: dict[str, Any]) -> None:
    required = [
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ]
    assert [key for key in required if key not in publiccode] == []
    assert publiccode["publiccodeYmlVersion"] == "0.4"  # a string, as the standard asks
    assert is_url(publiccode["url"])
    assert publiccode["platforms"] == ["web"]
    assert publiccode["developmentStatus"] in DEVELOPMENT_STATUS
    assert publiccode["softwareType"] in SOFTWARE_TYPES
    assert publiccode["categories"] and set(publiccode["categories"]) <= CATEGORIES


def test_version_and_release_date(publiccode: dict[str, Any]) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert publiccode["softwareVersion"] == pyproject["project"]["version"]
    released = publiccode["releaseDate"]
    # Quoted: unquoted, YAML 1.1 turns it into a date object rather than the string the standard asks for.
    assert isinstance(released, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", released)
    assert datetime.date.fromisoformat(released) <= datetime.date.today()


def test_descriptions(publiccode: dict[str, Any]) -> None:
    description = publiccode["description"]
    assert sorted(description) == ["en", "nl"]
    for lang, text in description.items():
        assert 0 < len(text["shortDescription"]) <= 150, lang
        assert "\n" not in text["shortDescription"].strip(), lang  # one line, one sentence
        assert 150 <= len(text["longDescription"]) <= 10000, lang
        assert text["features"] and all(isinstance(f, str) and f for f in text["features"]), lang
    assert description["nl"]["features"] and len(description["nl"]["features"]) == len(description["en"]["features"])


def test_legal_and_audience(publiccode: dict[str, Any]) -> None:
    assert publiccode["legal"]["license"] == "EUPL-1.2"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == publiccode["legal"]["license"]
    audience = publiccode["intendedAudience"]
    assert audience["countries"] == ["nl"]
    assert set(audience["scope"]) <= SCOPES
    # Country sections are ISO 3166-1 codes; the standard defines only Italy's, so none applies here.
    assert not [key for key in publiccode if re.fullmatch(r"[a-zA-Z]{2}", key)]


def test_maintenance_names_who_maintains_it(publiccode: dict[str, Any]) -> None:
    maintenance = publiccode["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    if maintenance["type"] == "contract":
        contractors = maintenance.get("contractors") or []
        assert contractors, "maintenance.contractors: the standard requires them for type 'contract'"
        for contractor in contractors:
            assert contractor.get("name")
            datetime.date.fromisoformat(str(contractor["until"]))
    if maintenance["type"] in ("internal", "community"):
        contacts = maintenance.get("contacts") or []
        assert contacts, (
            "maintenance.contacts: the standard requires at least one real person for type "
            f"{maintenance['type']!r}; name who maintains the guide in publiccode.yml"
        )
        assert all(contact.get("name") for contact in contacts)


def test_localisation(publiccode: dict[str, Any]) -> None:
    localisation = publiccode["localisation"]
    assert isinstance(localisation["localisationReady"], bool)
    languages = localisation["availableLanguages"]
    assert languages and all(LANGUAGE_TAG.match(tag) for tag in languages)
    assert "nl" in languages


def test_licence_is_the_whole_eupl() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    articles = re.findall(r"^(\d+)\. ", text, re.M)
    assert articles == [str(n) for n in range(1, 16)]
    appendix = text[text.index("\nAppendix\n") :]
    compatible = re.findall(r"^- (.+?)(?: v\.| \(|$)", appendix, re.M)
    assert len(compatible) == 10
    assert appendix.rstrip().endswith("require the production of a new\nEUPL version.")
