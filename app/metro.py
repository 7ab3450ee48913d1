"""Geometry of the metro map, computed from the station list (no markup here).

Layouts of the same line: horizontal for wide screens (labels alternate above and below the
line so long Dutch words get room), the same with room for "u bent hier" on a page about one
stop, vertical for narrow screens (labels to the right), and a compact strip for a stop's page
on a phone. Coordinates are in SVG user units; the templates turn them into markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Anchor = Literal["start", "middle", "end"]

RADIUS = 20  # station circle
FONT = 17  # label font size
LEADING = 21  # label line height
HERE_ROW = LEADING + 5  # from a label to its "u bent hier": a little apart, it is not part of the name
TERMINAL_FONT = 16


@dataclass(frozen=True)
class Label:
    lines: tuple[str, ...]
    x: float
    y: float  # baseline of the first line
    anchor: Anchor
    leading: float = LEADING

    @property
    def rows(self) -> tuple[tuple[str, float], ...]:
        """Each line with its baseline."""
        return tuple((line, self.y + i * self.leading) for i, line in enumerate(self.lines))


@dataclass(frozen=True)
class MapStation:
    """A numbered station on the line."""

    number: int
    slug: str
    x: float
    y: float
    label: Label
    here: Label | None  # where "u bent hier" goes when this is the current stop; None: never shown
    score: Label  # where a score map writes the stop's score: beside the station, clear of every label


@dataclass(frozen=True)
class Terminal:
    name: str  # Samenwerking / Draagvlak (the stylesheet sets it in capitals)
    x: float
    y: float
    width: float
    height: float
    label: Label


@dataclass(frozen=True)
class MetroMap:
    orientation: Literal["horizontal", "vertical", "strip"]  # "located" is drawn as horizontal
    width: float
    height: float
    line: tuple[tuple[float, float], tuple[float, float]]
    stops: tuple[MapStation, ...]
    start: Terminal
    end: Terminal
    radius: float = RADIUS  # of a station's circle
    hit: float = 34.0  # of the area that answers a click or tap

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def wrap(text: str, width: int) -> tuple[str, ...]:
    """Break a label into lines of at most `width` characters, never inside a word."""
    return tuple(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)) or (text,)


def horizontal(stations: Sequence[tuple[int, str, str]], start: str, end: str, *, here: bool = False) -> MetroMap:
    """Lay the line out left to right; `stations` are (number, slug, label) in order.

    Odd stations carry their label above the line, even ones below; the height of the
    drawing follows the tallest label on each side, so no space is wasted. With `here`, every
    label gets one more row on its own side, away from the line, for "u bent hier": the labels
    beside it (one station away) are on the other side of the line, and those on its side are
    two stations away, so it meets no other text however wide the letters are set (WCAG 1.4.12).
    """
    width, margin, pad = 1200.0, 95.0, 8.0
    spacing = (width - 2 * margin) / (len(stations) + 1)
    wrapped = [wrap(text, 14) for _, _, text in stations]
    extra = HERE_ROW if here else 0.0
    above = max((len(w) for i, w in enumerate(wrapped) if i % 2 == 0), default=1)
    below = max((len(w) for i, w in enumerate(wrapped) if i % 2 == 1), default=1)
    gap_above, gap_below = RADIUS + 14, RADIUS + 26  # from the line to the nearest baseline
    line_y = pad + FONT + extra + (above - 1) * LEADING + gap_above
    stops = []
    for i, ((number, slug, _), lines) in enumerate(zip(stations, wrapped), start=1):
        x = margin + i * spacing
        if i % 2 == 1:
            first = line_y - gap_above - (len(lines) - 1) * LEADING
            here_y = first - HERE_ROW
        else:
            first = line_y + gap_below
            here_y = first + (len(lines) - 1) * LEADING + HERE_ROW
        mark = Label(("u bent hier",), x, here_y, "middle") if here else None
        # The score sits on the side of the line away from its own label, where the labels
        # beside it are a whole station spacing away.
        score_y = line_y + RADIUS + 24 if i % 2 == 1 else line_y - RADIUS - 12
        score = Label(("",), x, score_y, "middle")
        stops.append(MapStation(number, slug, x, line_y, Label(lines, x, first, "middle"), mark, score))
    start_t = _terminal(start, margin, line_y, below=True)
    end_t = _terminal(end, width - margin, line_y, below=True)
    height = line_y + gap_below + (below - 1) * LEADING + extra + FONT * 0.4 + pad
    line = ((margin, line_y), (width - margin, line_y))
    return MetroMap("horizontal", width, round(height), line, tuple(stops), start_t, end_t)


def vertical(stations: Sequence[tuple[int, str, str]], start: str, end: str) -> MetroMap:
    """Lay the line out top to bottom with labels on the right, for the map on narrow screens."""
    width, line_x, top, spacing = 360.0, 44.0, 40.0, 70.0
    stops = []
    for i, (number, slug, text) in enumerate(stations, start=1):
        y = top + i * spacing
        lines = wrap(text, 24)
        label_x = line_x + RADIUS + 16
        first = y + FONT * 0.35 - (len(lines) - 1) * LEADING / 2
        # No "u bent hier": this layout serves the map page, which is about no one stop.
        # A score map writes the score on the row under the label.
        score = Label(("",), label_x, first + len(lines) * LEADING, "start")
        stops.append(MapStation(number, slug, line_x, y, Label(lines, label_x, first, "start"), None, score))
    bottom = top + (len(stations) + 1) * spacing
    start_t = _terminal(start, line_x, top, below=False)
    end_t = _terminal(end, line_x, bottom, below=False)
    return MetroMap("vertical", width, bottom + 40.0, ((line_x, top), (line_x, bottom)), tuple(stops), start_t, end_t)


def strip(stations: Sequence[tuple[int, str, str]], start: str, end: str) -> MetroMap:
    """A compact line for a station page on a phone: numbers only, the current stop named.

    Each stop carries its label on one line under the strip; the page shows only the
    current one ("u bent hier"), anchored so that it stays inside the drawing.
    """
    width, line_y, margin = 360.0, 26.0, 16.0
    spacing = (width - 2 * margin) / (len(stations) + 1)
    stops = []
    for i, (number, slug, text) in enumerate(stations, start=1):
        x = margin + i * spacing
        anchor: Anchor = "start" if x < width / 3 else "end" if x > 2 * width / 3 else "middle"
        label_x = {"start": margin, "end": width - margin, "middle": x}[anchor]
        label = Label((text,), label_x, line_y + 44, anchor)
        here_mark = Label(("u bent hier",), label_x, line_y + 64, anchor)
        score = Label(("",), x, line_y + 13 + 14, "middle")  # right under the station, above the label row
        stops.append(MapStation(number, slug, x, line_y, label, here_mark, score))
    start_t = Terminal(start, margin, line_y, 16.0, 16.0, Label((), margin, line_y, "start"))
    end_t = Terminal(end, width - margin, line_y, 16.0, 16.0, Label((), width - margin, line_y, "end"))
    line = ((margin, line_y), (width - margin, line_y))
    return MetroMap("strip", width, line_y + 76, line, tuple(stops), start_t, end_t, radius=13.0, hit=spacing / 2)


def _terminal(name: str, x: float, y: float, *, below: bool) -> Terminal:
    w, h = 34.0, 34.0
    if below:
        label = Label((name,), x, y + h / 2 + 26, "middle", TERMINAL_FONT)
    else:
        label = Label((name,), x + w / 2 + 18, y + TERMINAL_FONT * 0.35, "start", TERMINAL_FONT)
    return Terminal(name, x, y, w, h, label)


def layouts(
    stations: Sequence[tuple[int, str, str]], start: str = "Samenwerking", end: str = "Draagvlak"
) -> dict[str, MetroMap]:
    """Every layout of the line, by name: "located" is the horizontal one for a page about one stop.

    "located" has a free row beyond each label: "u bent hier" on a stop's page, the score on a
    score map (app/sessions: the scan, the deck, the results); the other layouts always have room.
    """
    return {
        "horizontal": horizontal(stations, start, end),
        "located": horizontal(stations, start, end, here=True),
        "vertical": vertical(stations, start, end),
        "strip": strip(stations, start, end),
    }
