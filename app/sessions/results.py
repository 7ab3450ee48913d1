"""A session's result: per stop the distribution and average, the weakest statements first, and CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.content import Guide, Station
from app.scan.distribution import Distribution
from app.scan.scale import AGREEMENT, Kind, kind_of

# The first nine columns are those of the per-stop rows before statements had their own scale; the
# last four were added: which item, its kind (halte / stelling), "weet niet" answers, its text.
CSV_HEADER = ("halte", "titel", "aantal", "gemiddelde", "1", "2", "3", "4", "5", "vraag", "soort", "weet niet", "tekst")


@dataclass(frozen=True)
class Statement:
    """Something attendees scored: a stop's own statement (item 0) or one of its discussion statements."""

    station: Station
    item: int
    text: str  # Markdown: the station's statement for item 0, else the discussion statement
    distribution: Distribution

    @property
    def kind(self) -> Kind:
        return kind_of(self.item, self.text)


@dataclass(frozen=True)
class StopResult:
    station: Station
    overall: Distribution
    statements: tuple[Statement, ...]  # the discussion statements ("Stelling: …"), in the content's order
    open_questions: tuple[str, ...] = ()  # the other discussion questions: for the conversation, not scored


@dataclass(frozen=True)
class Result:
    stops: tuple[StopResult, ...]

    @property
    def total(self) -> int:
        return sum(stop.overall.total for stop in self.stops)

    def starters(self, limit: int = 10) -> list[Statement]:
        """Scored statements, lowest average first: where the conversation should start."""
        scored = [
            statement
            for stop in self.stops
            for statement in (Statement(stop.station, 0, stop.station.statement, stop.overall), *stop.statements)
            if statement.distribution.total
        ]
        scored.sort(key=lambda s: (s.distribution.average, -s.distribution.total, s.station.number, s.item))
        return scored[:limit]

    def by_slug(self) -> dict[str, Distribution]:
        """Each stop's own distribution, for the map."""
        return {stop.station.slug: stop.overall for stop in self.stops}

    def stop(self, slug: str) -> StopResult | None:
        return next((s for s in self.stops if s.station.slug == slug), None)


def build(guide: Guide, tally: Mapping[tuple[str, int], Counter[int]]) -> Result:
    """Combine the guide's stops with the counted answers; answers for stops no longer in the guide are left out."""
    stops = []
    for station in guide.stations:
        numbered = list(enumerate(station.questions, start=1))
        statements = tuple(
            Statement(station, n, text, Distribution.of(tally.get((station.slug, n)), AGREEMENT))
            for n, text in numbered
            if kind_of(n, text) is Kind.STATEMENT
        )
        open_questions = tuple(text for n, text in numbered if kind_of(n, text) is Kind.OPEN)
        overall = Distribution.of(tally.get((station.slug, 0)))
        stops.append(StopResult(station, overall, statements, open_questions))
    return Result(tuple(stops))


def _row(number: int, title: str, d: Distribution, item: int, kind: Kind, text: str) -> tuple[object, ...]:
    average = "" if d.average is None else f"{d.average:.2f}"
    dont_know = d.dont_know if d.scale.dont_know else ""
    return (number, title, d.total, average, *d.counts, item, kind.value, dont_know, text)


def _unscored(station: Station, count: object, item: object, kind: str, text: str) -> tuple[object, ...]:
    """A row without figures (a written answer, a group too small to show): no average, no 1–5."""
    return (station.number, station.title, count, *[""] * 6, item, kind, "", text)


def to_csv(
    result: Result, written: Mapping[str, Sequence[Any]] | None = None, comparisons: Sequence[Any] = ()
) -> bytes:
    """One row per stop, then one per statement, UTF-8 with BOM for Excel, decimal point.

    A stop's row starts as it always did (`halte,titel,aantal,gemiddelde,1,2,3,4,5`, on the
    zwak–sterk scale) and ends with `vraag` 0 and `soort` "halte"; a statement's row has its
    number, "stelling", its "weet niet" count and its text, its 1–5 on the agreement scale.
    Open questions are not scored, so they have no row. Then, per stop, a row per approved
    written answer (`soort` "antwoord", `aantal` with the merged ones) and a row per group of
    each comparison (`soort` "gemeente" or "rol", the group in `tekst`; a group below the
    minimum size has no figures, as on the page). Text a spreadsheet would run as a formula
    (=, +, -, @) is quoted.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for stop in result.stops:
        station = stop.station
        writer.writerow(_row(station.number, station.title, stop.overall, 0, Kind.STOP, ""))
        for s in stop.statements:
            writer.writerow(_row(station.number, station.title, s.distribution, s.item, s.kind, _cell(s.text)))
        for answer in (written or {}).get(station.slug, ()):
            text = f"{answer.heading}: {answer.text}" if answer.heading else answer.text
            writer.writerow(_unscored(station, answer.count, "", "antwoord", _cell(text)))
        for comparison in comparisons:
            kind = "gemeente" if comparison.dimension == "partner" else "rol"
            difference = next(d for d in comparison.stops if d.slug == station.slug)
            for f in difference.figures:
                if f.distribution is None:
                    writer.writerow(_unscored(station, "", 0, kind, _cell(f"{f.group} (te weinig antwoorden)")))
                else:
                    writer.writerow(
                        (
                            *_row(station.number, station.title, f.distribution, 0, Kind.STOP, _cell(f.group))[:10],
                            kind,
                            "",
                            _cell(f.group),
                        )
                    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it runs (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
