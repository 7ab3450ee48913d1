"""What the metro map shows at each station for a set of scores: colour band, short text, spoken text.

The templates draw it (templates/_metro_map.html with `scores`, the patterns and legend in
templates/scan/_scan_map.html); the live deck's script repaints it from `station_scores`.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.scan.distribution import Distribution


def station_scores(by_slug: Mapping[str, Distribution]) -> dict[str, dict[str, object]]:
    """Per stop slug: its band (0 for no score yet), the text beside the station and its spoken form."""
    return {slug: {"band": d.band or 0, "tekst": d.short, "uitleg": d.spoken} for slug, d in by_slug.items()}
