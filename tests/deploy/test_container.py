"""The container image (Containerfile): built with buildah, run as its own user on a read-only root.

Base images cannot be pulled here, so tests/deploy/container.py makes `debian:bookworm-slim`
from Debian packages first (debootstrap, cached). [long step] The first run builds the base
(about 30 s) and both images (about 2 minutes); later runs reuse buildah's layer cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, soup
from tests.deploy import container
from tests.sessions.helpers import answer, start

pytestmark = pytest.mark.skipif(container.missing() is not None, reason=container.missing() or "")


@pytest.fixture(scope="module")
def images() -> Iterator[dict[str, float]]:
    """Build both images; their build seconds, printed with the sizes (docs/deploy.md records them)."""
    container.ensure_base()
    built = {"slim": container.build(container.SLIM, "slim"), "full": container.build(container.IMAGE, "full")}
    print(
        f"\nimage build: slim {built['slim']:.0f} s, {container.size(container.SLIM):.0f} MB; "
        f"full {built['full']:.0f} s, {container.size(container.IMAGE):.0f} MB"
    )
    yield built


def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o777)  # the image's user (uid 10001) writes here, as into a volume
    return data


def test_the_image_serves_prints_and_keeps_sessions_across_a_restart(images: dict[str, float], tmp_path: Path) -> None:
    data, port = data_dir(tmp_path), free_port()
    base = f"http://127.0.0.1:{port}"
    with container.Running(container.IMAGE, data, port) as running:
        print(f"start to healthy: {running.wait_healthy():.1f} s")
        assert running.healthcheck()[0] == 0, running.healthcheck()[1]
        with httpx.Client(base_url=base, timeout=60) as visitor:
            health = visitor.get("/healthz")
            assert health.status_code == 200 and health.json()["status"] == "ok"
            home = visitor.get("/")
            assert home.status_code == 200 and soup(home).select("a[href*='stops/']")
            stop = visitor.get("/stops/gemeenschappelijke-ambitie/")
            assert stop.status_code == 200 and soup(stop).h1 is not None
            pdf = visitor.get("/stops/gemeenschappelijke-ambitie.pdf")
            assert pdf.status_code == 200, pdf.text
            assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
        with (
            httpx.Client(base_url=base, timeout=30) as facilitator,
            httpx.Client(base_url=base, timeout=30) as attendee,
        ):
            deck = start(facilitator)
            assert answer(attendee, deck.code, halte="gemeenschappelijke-ambitie", score="4") == 303
    assert "Finished server process" in running.log.read_text()  # stopped as an engine stops it: SIGTERM
    assert running.healthcheck()[0] != 0  # and the HEALTHCHECK notices a guide that does not answer
    assert (data / "sessies.db").is_file()  # the session lives in the volume, not in the image

    with container.Running(container.IMAGE, data, port) as running, httpx.Client(base_url=base, timeout=30) as visitor:
        running.wait_healthy()
        rows = visitor.get(f"/s/{deck.code}/uitslag.csv").content.decode("utf-8-sig").splitlines()
        assert rows[1].split(",")[:4] == ["1", "Gemeenschappelijke ambitie", "1", "4.00"]


def test_the_slim_image_answers_pdfs_with_a_dutch_503(images: dict[str, float], tmp_path: Path) -> None:
    data, port = data_dir(tmp_path), free_port()
    with container.Running(container.SLIM, data, port) as running:
        running.wait_healthy()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as visitor:
            assert visitor.get("/").status_code == 200
            pdf = visitor.get("/stops/gemeenschappelijke-ambitie.pdf")
            assert pdf.status_code == 503 and pdf.headers["content-type"].startswith("text/html")
            assert soup(pdf).h1.text == "De pdf kan nu niet gemaakt worden"
