"""The makers' accessibility test record, as the statement page shows it.

`python -m audit` runs the tests each WCAG criterion names and writes two things from one
outcome: docs/accessibility.md for people reading the repository, and app/tested.json beside
this module for the page, which must work where docs/ is not installed (the container image).
tests/test_audit.py holds the two to each other.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

RECORD = Path(__file__).with_name("tested.json")


@dataclass(frozen=True)
class Tested:
    number: str  # "1.4.10"
    name: str  # the criterion's Dutch name
    level: str  # "A" or "AA"
    status: str  # "voldoet", "voldoet (deels handmatig)", "niet van toepassing", "voldoet niet (…)"


@dataclass(frozen=True)
class Record:
    written: dt.datetime  # when the tests ran (UTC)
    tests: int  # how many distinct tests ran
    criteria: tuple[Tested, ...]

    def count(self, status: str) -> int:
        """How many criteria have `status`, ignoring what follows it in brackets."""
        return sum(1 for c in self.criteria if c.status.split(" (")[0] == status)


def load(path: Path = RECORD) -> Record | None:
    """The record, or None when there is none (a checkout where the audit never ran)."""
    try:
        data = json.loads(path.read_text("utf-8"))
        return Record(
            written=dt.datetime.fromisoformat(data["written"]),
            tests=int(data["tests"]),
            criteria=tuple(Tested(**c) for c in data["criteria"]),
        )
    except FileNotFoundError:
        return None


def dump(record: Record) -> str:
    data = {
        "written": record.written.isoformat(timespec="minutes"),
        "tests": record.tests,
        "criteria": [c.__dict__ for c in record.criteria],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
