"""Every PDF the guide makes is PDF/UA-1 as far as a machine can tell (`pdfua`), and pikepdf sees why.

Chromium printed, before app/pdfua.py: the aria-hidden station digit neither tagged nor an
artifact (UA-01-003), quotations and the QR code's wrapper as /Figure without /Alt (UA-13-004),
link annotations without /Contents (UA-18-005), /LI without /LBody and no PDF/UA identifier in
the XMP (UA-28-004). There was no werkblad PDF and no PDF of the paper scan.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pikepdf
import pytest
from pdfua import validate
from pypdf import PdfReader

from app.build import build_site
from app.config import Settings
from app.content import load_guide
from app.pdf import pdf_jobs
from tests.conftest import REAL_CONTENT, LiveServer, soup
from tests.sessions.helpers import answer, start

GUIDE = load_guide(REAL_CONTENT)
STATIONS = GUIDE.stations
PUBLIC = "https://gids.example.nl/zevenstops/"
STATION = STATIONS[2]  # leiderschap: quotations, a list of examples, cross-references

KINDS = {
    **{f"hand-out {s.slug}": f"/stops/{s.slug}.pdf" for s in STATIONS},
    "boekje": "/guide.pdf",
    **{f"werkblad {s.slug}": f"/stops/{s.slug}/werkblad.pdf" for s in STATIONS},
    "scan op papier": "/scan/papier.pdf",
    "uitslag": "/s/{code}/uitslag.pdf",
}
PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, LiveServer]]:
    """The guide with its public address configured, and one without for a live session.

    The session's server has no https address of its own, so its cookies reach a plain http client.
    """
    data = tmp_path_factory.mktemp("data")
    live = replace(Settings(), content_dir=REAL_CONTENT, data_dir=data, database_url=f"sqlite:///{data / 's.db'}")
    with LiveServer(replace(live, base_url=PUBLIC)) as server, LiveServer(live) as session_server:
        yield server, session_server


@pytest.fixture(scope="module")
def pdfs(servers: tuple[LiveServer, LiveServer]) -> dict[str, bytes]:
    """Every kind of PDF, as the servers answer it; the result after one answer."""
    server, session_server = servers
    with httpx.Client(base_url=session_server.url) as facilitator:
        code = start(facilitator).code
    with httpx.Client(base_url=session_server.url) as phone:
        assert answer(phone, code, halte=STATION.slug, score="4") == 303
    found = {}
    for kind, path in KINDS.items():
        url = (session_server.url if kind == "uitslag" else server.url) + path.format(code=code)
        response = httpx.get(url, timeout=120)
        assert response.status_code == 200, (kind, response.text[:300])
        assert response.headers["content-type"] == "application/pdf"
        found[kind] = response.content
    return found


def opened(body: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(body))


def elements(node: Any) -> Iterator[Any]:
    """Every structure element under `node`, in reading order."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from elements(kid)


def kids_of(element: Any) -> list[Any]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def roles(pdf: pikepdf.Pdf) -> list[str]:
    return [str(e.S) for e in elements(pdf.Root.StructTreeRoot)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_pdf_passes_pdfua(pdfs: dict[str, bytes], kind: str, tmp_path: Path) -> None:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdfs[kind])
    report = validate(str(path))
    assert [(f.rule_id, f.severity.name, f.message) for f in report.findings] == []


@pytest.mark.parametrize("kind", ["hand-out leiderschap", "boekje", "werkblad leiderschap", "uitslag"])
def test_all_page_content_is_tagged_or_an_artifact(pdfs: dict[str, bytes], kind: str) -> None:
    """Not just text (what pdfua counts): paths and images too; the station digit is an artifact."""
    pdf = opened(pdfs[kind])
    artifacts = 0
    for number, page in enumerate(pdf.pages, 1):
        depth, unmarked = 0, []
        for instruction in pikepdf.parse_content_stream(page):
            inline = isinstance(instruction, pikepdf.ContentStreamInlineImage)
            op = "INLINE IMAGE" if inline else str(instruction.operator)
            if op in ("BDC", "BMC"):
                depth += 1
                artifacts += str(instruction.operands[0]) == "/Artifact"
            elif op == "EMC":
                depth -= 1
            elif depth == 0 and op in PAINTING:
                unmarked.append(op)
        assert depth == 0, f"page {number}: unbalanced marked content"
        assert unmarked == [], f"page {number}: painted outside marked content"
    assert artifacts > 0


@pytest.mark.parametrize("kind", ["hand-out leiderschap", "boekje"])
def test_quotations_are_blockquotes_and_every_figure_has_alt(
    pdfs: dict[str, bytes], servers: tuple[LiveServer, LiveServer], kind: str
) -> None:
    pdf = opened(pdfs[kind])
    page = soup(httpx.get(servers[0].url + ("/print/" if kind == "boekje" else f"/stops/{STATION.slug}/")))
    figures = [e for e in elements(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
    assert figures, "the QR code at least is a figure"
    for figure in figures:
        assert str(figure.get("/Alt", "")).strip(), "a /Figure without /Alt"
        assert not [k for k in kids_of(figure) if isinstance(k, pikepdf.Dictionary) and "/S" in k], "a grouping /Figure"
    assert roles(pdf).count("/BlockQuote") == len(page.select("figure > blockquote")) > 0
    qr = next(f for f in figures if str(f.Alt).startswith("QR-code"))
    assert qr.P.S == "/Div" and [str(k.S) for k in kids_of(qr.P)] == ["/Figure", "/Caption"]


@pytest.mark.parametrize(
    "kind", ["hand-out leiderschap", "boekje", "werkblad leiderschap", "scan op papier", "uitslag"]
)
def test_every_link_annotation_says_where_it_leads(pdfs: dict[str, bytes], kind: str) -> None:
    pdf = opened(pdfs[kind])
    described: dict[str, list[str]] = {}
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.Subtype == "/Link":
                assert str(annotation.get("/Contents", "")).strip(), annotation
                action = annotation.get("/A")
                target = str(action.URI) if action is not None and "/URI" in action else str(annotation.get("/Dest"))
                described.setdefault(target, []).append(str(annotation.Contents))
    assert described
    if kind not in (
        "uitslag",
        "scan op papier",
    ):  # the map's stations, named as on the map; in the booklet they lead inside it
        for station in STATIONS:
            target = f"/{station.slug}" if kind == "boekje" else f"{PUBLIC}stops/{station.slug}/"
            assert station.label in described[target][0] or station.title in described[target][0]
    if kind == "werkblad leiderschap":  # the same address, by its own link text
        assert described[f"{PUBLIC}stops/{STATION.slug}/"][1:] == ["de hand-out"]


@pytest.mark.parametrize("kind", ["hand-out leiderschap", "boekje", "werkblad leiderschap", "scan op papier"])
def test_list_items_have_a_label_and_a_body(pdfs: dict[str, bytes], kind: str) -> None:
    pdf = opened(pdfs[kind])
    items = [e for e in elements(pdf.Root.StructTreeRoot) if e.S == "/LI"]
    assert items
    for item in items:
        assert [str(k.S) for k in kids_of(item)] in (["/Lbl", "/LBody"], ["/LBody"])
    assert_parents_consistent(pdf)


def assert_parents_consistent(pdf: pikepdf.Pdf) -> None:
    """Every element's /P is its parent, and the parent tree names the element holding each MCID."""
    tree = pdf.Root.StructTreeRoot
    parents = pikepdf.NumberTree(tree.ParentTree)
    pages = {page.obj.objgen: page.obj for page in pdf.pages}
    for element in elements(tree):
        for kid in kids_of(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                assert kid.P.objgen == element.objgen
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                assert parents[int(kid.Obj.StructParent)].objgen == element.objgen
            elif not isinstance(kid, pikepdf.Dictionary):
                page = pages[element.Pg.objgen]
                assert parents[int(page.StructParents)][int(kid)].objgen == element.objgen


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_document_declares_pdfua_its_title_and_language(pdfs: dict[str, bytes], kind: str) -> None:
    pdf = opened(pdfs[kind])
    meta = pdf.open_metadata()
    assert meta["pdfuaid:part"] == "1"
    assert meta["dc:title"] == str(pdf.docinfo.Title) and str(pdf.docinfo.Title).strip()
    assert str(pdf.Root.Lang) == "nl" and "nl" in meta["dc:language"]
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert pdf.Root.MarkInfo.Marked is True


@pytest.mark.parametrize("station", STATIONS, ids=[s.slug for s in STATIONS])
def test_the_werkblad_pdf_is_one_a4_page_with_the_stops_title(pdfs: dict[str, bytes], station) -> None:
    reader = PdfReader(io.BytesIO(pdfs[f"werkblad {station.slug}"]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.3, 841.9), abs=1.5)
    text = " ".join(reader.pages[0].extract_text().split())
    assert station.title in text and "Gespreksvragen" in text
    assert station.title in str(reader.metadata.title)


def test_metro_pdf_and_export_print_the_werkbladen_and_the_paper_scan() -> None:
    site = build_site(replace(Settings(), content_dir=REAL_CONTENT), base_url=PUBLIC)
    jobs = dict(pdf_jobs(site))
    for station in STATIONS:
        assert jobs[f"stops/{station.slug}/werkblad/"] == f"stops/{station.slug}/werkblad.pdf"
    assert jobs["scan/papier/"] == "scan/papier.pdf"


def test_an_unknown_stop_has_no_werkblad_pdf(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/stops/onbekend/werkblad.pdf", timeout=10)
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
