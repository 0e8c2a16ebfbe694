"""Reading schema.org JSON-LD: tolerant parsing, ``@graph`` flattening, ``@id`` links.

Sites embed several JSON-LD blocks (WebSite, Organization, BreadcrumbList, the article),
often in one ``@graph``, sometimes with comments or stray control characters. We parse
each block leniently and find the node that describes the article.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

#: schema.org types that describe an article-like main entity, best first.
ARTICLE_TYPES: tuple[str, ...] = (
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "liveblogposting",
    "article",
    "blogposting",
    "techarticle",
    "scholarlyarticle",
    "socialmediaposting",
    "report",
    "claimreview",
    "review",
    "posting",
    "creativework",
    "recipe",
    "howto",
)
#: Properties whose values are other works (a recipe's reviews, a paper's citations, a
#: list's items): an article-typed node under one of them is not the page's article.
SUBORDINATE_KEYS: frozenset[str] = frozenset(
    {
        "review",
        "reviews",
        "comment",
        "comments",
        "citation",
        "itemreviewed",
        "itemlistelement",
        "haspart",
        "ispartof",
        "subjectof",
        "mentions",
        "about",
        "workexample",
        "relatedlink",
        "significantlink",
    }
)
#: Fallback types: a page node may still carry headline, dates and author.
PAGE_TYPES: tuple[str, ...] = ("webpage", "itempage", "aboutpage", "collectionpage")

_CLEAN = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$|^\s*<!--|-->\s*$")
_CTRL = re.compile(r"[\x00-\x1f]")


def parse_blocks(tree: HtmlElement) -> list[Any]:
    """Every JSON-LD block of the page, parsed; unparseable blocks are skipped."""
    blocks: list[Any] = []
    for script in tree.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind:
            continue
        raw = script.text or ""
        if not raw.strip():
            continue
        data = _loads(raw)
        if data is not None:
            blocks.append(data)
    return blocks


def _loads(raw: str) -> Any:
    # a CDATA wrapper, with or without the ``//`` that hides it from old browsers
    raw = _CLEAN.sub("", raw.strip()).strip()
    for attempt in (raw, _CTRL.sub(" ", raw)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    # several objects pasted into one block: try the first one
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(raw)
        return value
    except ValueError:
        logger.debug("unparseable JSON-LD block (%d chars)", len(raw))
        return None


def iter_nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """All dict nodes, depth first, through lists, ``@graph`` and nested values."""
    if depth > 12:
        return
    if isinstance(data, list):
        for item in data:
            yield from iter_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key, value in data.items():
            if key in ("@context",):
                continue
            if isinstance(value, dict | list):
                yield from iter_nodes(value, depth + 1)


def types_of(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    if isinstance(kind, str):
        return {kind.lower().rsplit("/", 1)[-1]}
    if isinstance(kind, list):
        return {k.lower().rsplit("/", 1)[-1] for k in kind if isinstance(k, str)}
    return set()


class Graph:
    """All nodes of the page's JSON-LD, indexed by ``@id``."""

    def __init__(self, blocks: list[Any]) -> None:
        self.nodes: list[dict[str, Any]] = []
        #: ids (``id()``) of nodes found under a :data:`SUBORDINATE_KEYS` property
        self.subordinate: set[int] = set()
        for block in blocks:
            for node in iter_nodes(block):
                self.nodes.append(node)
                for key, value in node.items():
                    if key.lower() in SUBORDINATE_KEYS and isinstance(value, dict | list):
                        self.subordinate.update(id(n) for n in iter_nodes(value))
        self.by_id: dict[str, dict[str, Any]] = {}
        for node in self.nodes:
            ident = node.get("@id")
            if isinstance(ident, str) and len(node) > 1:
                self.by_id.setdefault(ident, node)

    def resolve(self, value: Any) -> Any:
        """Follow an ``{"@id": ...}`` reference to the node it names."""
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            return self.by_id.get(str(value["@id"]), value)
        return value

    def article(self) -> dict[str, Any] | None:
        """The node describing the article: the best-ranked article type with a headline,
        preferring nodes that are not a review, comment or citation of another node."""
        best: tuple[int, int, dict[str, Any]] | None = None
        for order, node in enumerate(self.nodes):
            kinds = types_of(node)
            rank = min((ARTICLE_TYPES.index(k) for k in kinds if k in ARTICLE_TYPES), default=None)
            if rank is None:
                continue
            has_text = 0 if (node.get("headline") or node.get("name")) else 1
            nested = 1000 if id(node) in self.subordinate else 0
            key = (nested + has_text * 100 + rank, order)
            if best is None or key < best[:2]:
                best = (key[0], key[1], node)
        return best[2] if best else None

    def page(self) -> dict[str, Any] | None:
        for node in self.nodes:
            if types_of(node) & set(PAGE_TYPES):
                return node
        return None

    def of_type(self, *kinds: str) -> list[dict[str, Any]]:
        wanted = {k.lower() for k in kinds}
        return [n for n in self.nodes if types_of(n) & wanted]


def text_value(value: Any) -> str | None:
    """A plain string from a JSON-LD value (string, list of strings, ``{"@value": ...}``)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        for item in value:
            found = text_value(item)
            if found:
                return found
    if isinstance(value, dict):
        for key in ("@value", "name", "url", "@id"):
            if key in value:
                return text_value(value[key])
    return None
