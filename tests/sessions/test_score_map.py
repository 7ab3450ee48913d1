"""The score maps (deck, results, offline scan) write every score at its own station, on every layout."""

from __future__ import annotations

import math

import pytest
from bs4 import Tag
from fastapi.testclient import TestClient

from app.metro import layouts
from tests.conftest import soup
from tests.sessions.helpers import answer, deck_path, start


def scores_far_from_their_station(svg: Tag) -> list[str]:
    """Every score text of one drawn map that is not right beside its station's circle."""
    wrong = []
    for station in svg.select("a.js-scan-station"):
        circle = station.select_one("circle.scan-map__fill")
        score = station.select_one("text.js-scan-score")
        try:
            x, y = float(score["x"]), float(score["y"])
        except (KeyError, ValueError):
            wrong.append(f"{station['data-slug']}: x={score.get('x')!r} y={score.get('y')!r}")
            continue
        cx, cy = float(circle["cx"]), float(circle["cy"])
        if math.dist((x, y), (cx, cy)) > 90 or score.get("text-anchor") not in ("start", "middle", "end"):
            wrong.append(f"{station['data-slug']}: score at ({x}, {y}), station at ({cx}, {cy})")
    return wrong


def test_every_layout_has_a_place_for_the_score_beside_each_station() -> None:
    stations = [(n, f"halte-{n}", label) for n, label in enumerate(["Ambitie", "Orde in proces en structuur"] * 4, 1)]
    for name, drawn in layouts(stations[:7]).items():
        for stop in drawn.stops:
            assert math.dist((stop.score.x, stop.score.y), (stop.x, stop.y)) <= 90, (name, stop.number)
            assert 0 <= stop.score.y <= drawn.height and 0 <= stop.score.x <= drawn.width, (name, stop.number)


@pytest.mark.parametrize("page", ["scan", "deck", "result"])
def test_the_score_stands_at_its_station_on_every_score_map(live_client: TestClient, page: str) -> None:
    deck = start(live_client)
    assert answer(live_client, deck.code, halte="orde", score="4") == 303
    path = {"scan": "/scan/", "deck": deck_path(deck, "orde"), "result": f"/s/{deck.code}/uitslag"}[page]
    maps = soup(live_client.get(path)).select("nav.scan-map svg")
    assert maps
    for svg in maps:
        assert scores_far_from_their_station(svg) == []
        assert len(svg.select("text.js-scan-score")) == 3
