"""Partners and roles: the groups attendees may say they belong to, and where the groups differ.

The facilitator lists them when starting (partner municipalities, roles; the roles offered by
default are bestuurder, raadslid, ambtenaar, anders). Each attendee chooses once, or "zeg ik
liever niet" (stored as ""). A group's figures are shown only when at least `min_group`
attendees of it answered that question; below that the result says "te weinig antwoorden", so a
small group (one alderman) stays anonymous. The threshold is the server's setting
(ZEVENSTOPS_MIN_GROUP), not the facilitator's choice.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from app.scan.distribution import Distribution
from app.sessions.results import Result

DEFAULT_ROLES = ("bestuurder", "raadslid", "ambtenaar", "anders")
DIMENSIONS = {"partner": "Gemeente", "role": "Rol"}  # column on attendees -> what the pages call it
MAX_GROUPS = 12  # per list: a choice on a phone stays short
MAX_NAME = 60
TOO_FEW = "te weinig antwoorden"

GroupTally = Mapping[tuple[str, str, int], Counter[int]]  # (group, stop, item) -> score -> number


def parse_names(text: str, what: str) -> tuple[str, ...] | str:
    """The names in a list the facilitator typed (one a line, or separated by commas), or a Dutch message.

    Spaces are tidied and repeats dropped (case-insensitively); `what` is the list's name in messages.
    """
    names: list[str] = []
    seen: set[str] = set()
    for raw in text.replace(",", "\n").replace(";", "\n").splitlines():
        name = " ".join(unicodedata.normalize("NFC", raw).split())
        if not name:
            continue
        if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
            return f"De {what} bevatten een onzichtbaar teken. Typ de namen opnieuw, zonder te plakken."
        if len(name) > MAX_NAME:
            return f"Een naam in de {what} is langer dan {MAX_NAME} tekens: {name[:MAX_NAME]}…"
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        names.append(name)
    if len(names) > MAX_GROUPS:
        return f"Geef hooguit {MAX_GROUPS} {what}; het zijn er nu {len(names)}."
    if len(names) == 1:
        return f"Geef minstens twee {what} om te vergelijken, of laat het veld leeg."
    return tuple(names)


@dataclass(frozen=True)
class GroupFigure:
    """One group's answers to one question; `distribution` None when the group is too small to show."""

    group: str
    distribution: Distribution | None
    answered: int  # how many answered (shown only when the figures are)


@dataclass(frozen=True)
class StopDifference:
    """Per stop: each group's average on "Hoe staan wij ervoor?", and the spread between those shown."""

    slug: str
    number: int
    title: str
    figures: tuple[GroupFigure, ...]

    @property
    def shown(self) -> tuple[GroupFigure, ...]:
        return tuple(f for f in self.figures if f.distribution is not None)

    @property
    def spread(self) -> float | None:
        """Highest minus lowest average of the groups shown; None with fewer than two to compare."""
        averages = [f.distribution.average for f in self.shown if f.distribution and f.distribution.average is not None]
        return max(averages) - min(averages) if len(averages) >= 2 else None

    @property
    def dutch_spread(self) -> str:
        return "–" if self.spread is None else f"{self.spread:.1f}".replace(".", ",")


@dataclass(frozen=True)
class Comparison:
    """Where the groups of one dimension (partners or roles) differ, the largest difference first."""

    dimension: str  # "partner" or "role"
    label: str  # "Gemeente" or "Rol"
    groups: tuple[str, ...]
    stops: tuple[StopDifference, ...]
    min_group: int

    @property
    def compared(self) -> tuple[StopDifference, ...]:
        """The stops where a group is large enough to show: largest spread first, then those with one group.

        One large group beside small ones is still shown (its figures, the others "te weinig
        antwoorden"): a meeting of a large and a small partner would otherwise show nothing at all.
        """
        found = [s for s in self.stops if s.shown]
        return tuple(sorted(found, key=lambda s: (s.spread is None, -(s.spread or 0), s.number)))


def figure(group: str, counter: Counter[int] | None, min_group: int) -> GroupFigure:
    """A group's figures, or none when fewer than `min_group` of it answered."""
    distribution = Distribution.of(counter)
    if distribution.total < min_group:
        return GroupFigure(group, None, 0)  # not even the count: "2 answered" would say too much
    return GroupFigure(group, distribution, distribution.total)


def compare(result: Result, dimension: str, groups: tuple[str, ...], tally: GroupTally, min_group: int) -> Comparison:
    """Compare `groups` per stop on the stop's own question (item 0)."""
    stops = tuple(
        StopDifference(
            stop.station.slug,
            stop.station.number,
            stop.station.title,
            tuple(figure(group, tally.get((group, stop.station.slug, 0)), min_group) for group in groups),
        )
        for stop in result.stops
    )
    return Comparison(dimension, DIMENSIONS[dimension], groups, stops, min_group)
