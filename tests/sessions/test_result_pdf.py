"""The result PDF goes through the guide's PDF service: one print per state of the answers, in one queue.

Before, `/s/<code>/uitslag.pdf` called Chromium directly: 20 requests at once were 20 prints in
21.5 s, and a guide PDF waited behind them.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app import pdf
from app.config import Settings
from app.web import create_app
from tests.test_hardening import SlowPrinter, run


@pytest.fixture
def printer(monkeypatch: pytest.MonkeyPatch) -> SlowPrinter:
    slow = SlowPrinter(0.4)
    monkeypatch.setattr(pdf.PdfPrinter, "print_pdf", slow.print_pdf)
    return slow


def test_twenty_requests_for_one_result_share_one_print(session_settings: Settings, printer: SlowPrinter) -> None:
    app = create_app(session_settings)

    async def scenario() -> tuple[list[httpx.Response], httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            started = await client.post("/sessies", follow_redirects=False)
            code = started.headers["location"].split("/sessies/", 1)[1].split("/", 1)[0]
            await client.get(f"/s/{code}")
            await client.post(f"/s/{code}/antwoord", data={"halte": "orde", "score": "4"})
            storm = await asyncio.gather(*(client.get(f"/s/{code}/uitslag.pdf") for _ in range(20)))
            again = await client.get(f"/s/{code}/uitslag.pdf")  # the same answers: from the cache
            await client.post(f"/s/{code}/antwoord", data={"halte": "orde", "score": "2"})
            changed = await client.get(f"/s/{code}/uitslag.pdf")  # a new answer: a new print
            return storm, again, changed

    storm, again, changed = run(scenario())
    assert [r.status_code for r in storm] == [200] * 20
    assert {r.content for r in storm} == {again.content}
    assert changed.status_code == 200
    assert [path for _, path in printer.printed] == [printer.printed[0][1]] * 2  # two prints in all
    assert printer.printed[0][1].startswith("s/") and printer.printed[0][1].endswith("/uitslag")


def test_a_busy_printer_answers_a_dutch_503_with_retry_after(session_settings: Settings, printer: SlowPrinter) -> None:
    app = create_app(session_settings)
    app.app.state.pdfs.max_prints = 1  # type: ignore[attr-defined]

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            started = await client.post("/sessies", follow_redirects=False)
            code = started.headers["location"].split("/sessies/", 1)[1].split("/", 1)[0]
            guide = asyncio.create_task(client.get("/guide.pdf"))
            while not app.app.state.pdfs.inflight:  # type: ignore[attr-defined]
                await asyncio.sleep(0.01)  # the guide's print has started
            result = await client.get(f"/s/{code}/uitslag.pdf", headers={"accept": "application/json"})
            return await guide, result

    guide, result = run(scenario())
    assert guide.status_code == 200
    assert result.status_code == 503 and result.headers["retry-after"] == "10"
    assert result.json()["detail"].startswith("Er worden nu veel pdf's tegelijk gemaakt.")
