"""Geometry of the line: computed from the station list, labels that fit and do not collide."""

from __future__ import annotations

import itertools

import pytest

from app import metro
from app.content import load_guide
from tests.conftest import REAL_CONTENT

STATIONS = [(s.number, s.slug, s.label) for s in load_guide(REAL_CONTENT).stations]
CHAR = 0.62 * metro.FONT  # a generous average glyph width of the bold sans-serif labels


def extent(label: metro.Label) -> tuple[float, float]:
    width = max(len(line) for line in label.lines) * CHAR
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return left, left + width


@pytest.mark.parametrize("count", [3, 7, 9])
def test_stations_run_in_order_between_the_terminals(count: int) -> None:
    stations = [(n, f"s{n}", f"Halte {n}") for n in range(1, count + 1)]
    for layout in metro.layouts(stations).values():
        xs = [s.x for s in layout.stops] if layout.orientation != "vertical" else [s.y for s in layout.stops]
        assert xs == sorted(xs) and len(set(xs)) == count
        first, last = (
            (layout.start.x, layout.end.x) if layout.orientation != "vertical" else (layout.start.y, layout.end.y)
        )
        assert first < xs[0] and xs[-1] < last


def test_horizontal_labels_alternate_and_never_overlap() -> None:
    line = metro.horizontal(STATIONS, "SAMENWERKING", "DRAAGVLAK")
    above = [s for s in line.stops if s.label.y < s.y]
    below = [s for s in line.stops if s.label.y > s.y]
    assert [s.number for s in above] == [1, 3, 5, 7] and [s.number for s in below] == [2, 4, 6]
    for side in (above, below):
        for a, b in itertools.pairwise(side):
            assert extent(a.label)[1] < extent(b.label)[0], (a.slug, b.slug)
    for stop in line.stops:
        left, right = extent(stop.label)
        assert left >= 0 and right <= line.width
        top = stop.label.y - metro.FONT
        bottom = stop.label.rows[-1][1] + metro.FONT * 0.3
        assert top >= 0 and bottom <= line.height  # the drawing is tall enough for every label


def test_long_words_wrap_onto_lines_and_never_break() -> None:
    assert metro.wrap("Gemeenschappelijke ambitie", 14) == ("Gemeenschappelijke", "ambitie")
    assert metro.wrap("Orde in proces en structuur", 14) == ("Orde in proces", "en structuur")


def test_vertical_labels_sit_right_of_the_line_and_fit() -> None:
    line = metro.vertical(STATIONS, "SAMENWERKING", "DRAAGVLAK")
    for a, b in zip(line.stops, line.stops[1:]):
        assert a.label.rows[-1][1] + metro.LEADING <= b.label.y + metro.LEADING  # no overlap between rows
    for stop in line.stops:
        left, right = extent(stop.label)
        assert stop.x < left and right <= line.width


def test_strip_names_each_stop_inside_the_drawing() -> None:
    line = metro.strip(STATIONS, "SAMENWERKING", "DRAAGVLAK")
    for stop in line.stops:
        left, right = extent(stop.label)
        assert left >= 0 and right <= line.width, stop.slug
        assert stop.label.y > stop.y + line.radius and stop.here.y > stop.label.y
    assert line.hit * 2 >= 24  # tap targets of at least 24 px across


def box(label: metro.Label, font: float = metro.FONT, spaced: bool = True) -> tuple[float, float, float, float]:
    """A generous box around a label: left, right, top, bottom; `spaced` adds WCAG 1.4.12 spacing."""
    widths = [
        len(line) * (CHAR + (0.12 * font if spaced else 0)) + line.count(" ") * 0.16 * font for line in label.lines
    ]
    width = max(widths)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return left, left + width, label.y - font, label.rows[-1][1] + 0.3 * font


def apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]


def test_you_are_here_meets_no_other_text_even_with_wide_text_spacing() -> None:
    line = metro.layouts(STATIONS)["located"]
    texts = [box(s.label) for s in line.stops] + [box(t.label, metro.TERMINAL_FONT) for t in (line.start, line.end)]
    for stop in line.stops:
        assert stop.here is not None
        here = box(stop.here, 15)
        assert all(apart(here, other) for other in texts), stop.slug
        assert here[2] >= 0 and here[3] <= line.height  # inside the drawing
        assert (stop.here.y < stop.y) == (stop.label.y < stop.y)  # on its own label's side of the line


def test_the_map_page_layouts_leave_no_room_for_you_are_here() -> None:
    maps = metro.layouts(STATIONS)
    assert all(stop.here is None for name in ("horizontal", "vertical") for stop in maps[name].stops)
    assert maps["horizontal"].height < maps["located"].height
