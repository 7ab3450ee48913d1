"""Settings from environment variables, read once at start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    content_dir: Path = ROOT / "content" / "nl"
    templates_dir: Path = ROOT / "templates"
    static_dir: Path = ROOT / "static"
    base_url: str = ""  # public address, e.g. https://gids.gemeente.nl/zevenstops/; empty: the request's

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read ZEVENSTOPS_* variables; anything unset keeps its default."""
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            content_dir=Path(env.get("ZEVENSTOPS_CONTENT_DIR", defaults.content_dir)),
            base_url=env.get("ZEVENSTOPS_BASE_URL", "").strip(),
        )
