"""Reading an archive file while (or after) a crawl writes it, without taking part in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def count_articles(db: Path) -> int:
    """Articles stored so far (0 while the file or its schema does not exist yet)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM article").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()
