"""Every URL of the guide is built here, relative to the page being rendered.

Relative links make one set of pages work at the server's root, under any sub-path behind a
proxy, and as a static export opened from disk (where links need an explicit `.html`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Urls:
    root: str = ""  # from the current page to the site root: "", "../" or "/"
    suffix: str = ""  # ".html" in the static export, where no server maps paths to files
    on_map_page: bool = False  # stations open as in-page panels (#slug) on the map page
    assets: Mapping[str, str] = field(default_factory=dict)  # "app.css" -> "app.1a2b3c4d.css"

    def at(self, depth: int, *, on_map_page: bool = False) -> Urls:
        """The same URLs as seen from a page `depth` folders below the root."""
        root = self.root if self.root == "/" else "../" * depth
        return replace(self, root=root, on_map_page=on_map_page)

    def home(self) -> str:
        if self.suffix:
            return f"{self.root}index.html"
        return self.root or "./"

    def station(self, slug: str) -> str:
        """The station's own page (the printable handout)."""
        return f"{self.root}stops/{slug}{self.suffix}"

    def station_link(self, slug: str) -> str:
        """Where a station on the map leads: its panel on the map page, else its page."""
        return f"#{slug}" if self.on_map_page else self.station(slug)

    def map_section(self, fragment: str) -> str:
        """A section of the map page, such as the terminals' texts."""
        return f"#{fragment}" if self.on_map_page else f"{self.home()}#{fragment}"

    def static(self, name: str) -> str:
        return f"{self.root}static/{self.assets.get(name, name)}"


def station_path(slug: str) -> str:
    """The server path of a station page; the routes and the tests share it."""
    return f"/stops/{slug}"
