"""The synthetic archive ``bench/corpus.py`` measures: Zipf-distributed text over a
50,000-word vocabulary, articles of 1–6 versions from 4 sources, publication times with
offsets (some only a day), and the rows of every table, in chunks for bulk inserts."""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

VOCABULARY = 50_000
ZIPF_S = 1.07
POOL = 4_000_000
SOURCES = {
    "north": ("north.example", "www.north.example"),
    "south": ("south.example", "news.south.example"),
    "east": ("east.example", "m.east.example"),
    "west": ("west.example", "blog.west.example"),
}
VERSIONS_PER_ARTICLE = (1, 1, 1, 1, 2, 2, 3, 4, 6)
START = datetime(2026, 1, 1, tzinfo=UTC)
CHUNK = 5_000
SYLLABLES = [
    "ka",
    "ri",
    "to",
    "ne",
    "sa",
    "mo",
    "lu",
    "pe",
    "di",
    "ra",
    "ve",
    "no",
    "shi",
    "ta",
    "mi",
    "ko",
    "ber",
    "lan",
    "dor",
    "fen",
    "gal",
    "hu",
    "st",
    "tr",
    "an",
    "el",
    "in",
    "on",
    "ur",
    "ist",
    "est",
    "ment",
    "ion",
    "ger",
    "ly",
    "ble",
    "der",
    "ten",
]


# -- generating -------------------------------------------------------------------------


class Text:
    """Zipf-distributed words from a synthetic vocabulary, cut from one pre-drawn pool."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < VOCABULARY:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
            if word not in seen and len(word) > 1:
                seen.add(word)
                words.append(word)
        self.words = words
        weights = [1 / (rank**ZIPF_S) for rank in range(1, VOCABULARY + 1)]
        cumulative = list(itertools.accumulate(weights))
        self.pool = rng.choices(words, cum_weights=cumulative, k=POOL)
        self.rng = rng

    def sentence(self, length: int) -> str:
        start = self.rng.randrange(POOL - length)
        return " ".join(self.pool[start : start + length]).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(
            self.sentence(self.rng.randint(8, 18)) for _ in range(self.rng.randint(2, 4))
        )

    def body(self) -> list[str]:
        paragraphs: list[str] = []
        words = 0
        target = self.rng.randint(150, 300)
        while words < target:
            paragraphs.append(self.paragraph())
            words += len(paragraphs[-1].split())
        return paragraphs


def _published(rng: random.Random, seen: datetime) -> tuple[Any, Any, Any]:
    roll = rng.random()
    if roll < 0.1:
        return None, None, None
    if roll < 0.2:
        return None, None, (seen - timedelta(days=rng.randint(0, 2))).date()
    offset = rng.choice((0, 60, 120, -300, 330))
    stated = (seen - timedelta(minutes=rng.randint(5, 600))).astimezone(
        timezone(timedelta(minutes=offset))
    )
    return stated.astimezone(UTC), offset, None


def rows(total: int, seed: int = 7) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Chunks of rows for the article, snapshot, version and fetch tables."""
    words = Text(seed)
    rng = words.rng
    made = 0
    article_id = 0
    chunk: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("article", "snapshot", "version", "fetch")
    }
    names = list(SOURCES)
    while made < total:
        article_id += 1
        source = names[article_id % len(names)]
        host = SOURCES[source][article_id % 2]
        count = min(rng.choice(VERSIONS_PER_ARTICLE), total - made)
        seen = START + timedelta(seconds=rng.randint(0, 90 * 86400))
        url = f"https://{host}/news/{article_id}-{words.sentence(3)[:-1].lower().replace(' ', '-')}"
        published_at, offset, day = _published(rng, seen)
        headline = words.sentence(rng.randint(6, 11))[:-1]
        paragraphs = words.body()
        authors = [words.sentence(2)[:-1].title()]
        language = "de" if article_id % 10 == 0 else "en"
        fetched = seen
        for number in range(1, count + 1):
            made += 1
            changes: dict[str, Any] = {}
            changed: list[str] = []
            if number > 1:
                fetched += timedelta(hours=rng.randint(1, 48))
                index = rng.randrange(len(paragraphs))
                old = len(paragraphs[index].split())
                paragraphs[index] = words.paragraph()
                new = len(paragraphs[index].split())
                kinds = ["body"]
                changes = {"body": {"words_added": new, "words_removed": old, "share": 0.1}}
                if rng.random() < 0.15:
                    note = "Correction: " + words.sentence(12)
                    paragraphs.append(note)
                    changes["notes"] = [{"kind": "correction", "text": note}]
                    kinds.append("correction")
                if rng.random() < 0.2:
                    headline = words.sentence(rng.randint(6, 11))[:-1]
                    changes["headline"] = {"old": "", "new": headline}
                    kinds.insert(0, "headline")
                changes["kinds"] = kinds
                changed = [k for k in kinds if k in ("headline", "body")]
            body = "\n\n".join(paragraphs)
            raw = f"<html><body><h1>{headline}</h1>{len(body)}</body></html>".encode()
            version_id = made
            chunk["snapshot"].append(
                {
                    "id": version_id,
                    "sha256": hashlib.sha256(raw + str(version_id).encode()).hexdigest(),
                    "compression": "zstd",
                    "size": len(body) + 2000,
                    "content_type": "text/html",
                    "data": raw,
                    "created_at": fetched,
                }
            )
            chunk["version"].append(
                {
                    "id": version_id,
                    "article_id": article_id,
                    "number": number,
                    "fetched_at": fetched,
                    "snapshot_id": version_id,
                    "headline": headline,
                    "authors": authors,
                    "published_at": published_at,
                    "published_offset": offset,
                    "published_day": day,
                    "modified_at": None,
                    "modified_offset": None,
                    "modified_day": None,
                    "description": None,
                    "language": language,
                    "body": body,
                    "word_count": len(body.split()),
                    "fingerprint": hashlib.sha256(body.encode()).hexdigest(),
                    "changed_fields": changed,
                    "changes": changes,
                    "extractor": "bench",
                }
            )
            chunk["fetch"].append(
                {
                    "id": version_id,
                    "url": url,
                    "final_url": url,
                    "host": host,
                    "started_at": fetched,
                    "duration_ms": 120.0,
                    "status": 200,
                    "size": len(body) + 2000,
                    "content_type": "text/html",
                    "outcome": "new-article" if number == 1 else "new-version",
                    "snapshot_id": version_id,
                    "article_id": article_id,
                }
            )
        chunk["article"].append(
            {
                "id": article_id,
                "url": url,
                "host": host,
                "source": source,
                "first_seen_at": seen,
                "last_seen_at": fetched,
                "last_changed_at": fetched,
                "current_version": count,
                "revisit_step": 0,
            }
        )
        if len(chunk["version"]) >= CHUNK or made >= total:
            yield chunk
            chunk = {k: [] for k in chunk}
