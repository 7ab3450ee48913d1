"""The offline scan's scores as a file (static/scan.js writes and checks it in the browser).

A small JSON object: `formaat` (FORMAT), `versie` (VERSION), `datum` ("2026-12-04", the day it
was saved) and `scores`, per stop slug per item ("0" the stop itself, "1"… its statements) a
whole number on that item's scale. A file larger than MAX_BYTES is refused unread.
"""

from __future__ import annotations

FORMAT = "zevenstops-samenwerkingsscan"
VERSION = 1
MAX_BYTES = 100 * 1024
FILE_NAME = "samenwerkingsscan-{datum}.json"  # {datum}: the day it was saved
