"""``extract``: one page in, one :class:`Extraction` out.

Stages: decode and validate (:mod:`.document`), metadata (:mod:`.metadata`), DOM repairs
(:mod:`.dom`: hidden elements, split bodies, embedded posts), main content (:mod:`.body`,
trafilatura), cleaning (:mod:`.cleaning`, including learned per-host boilerplate),
language. The whole run is under a time bound (:mod:`.timebound`).

An unexpected error inside any stage (a bug meeting hostile input) is logged with its
traceback and raised as :class:`~scraper.errors.ExtractionError`, so one page can never
take a crawler worker down.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from lxml.html import HtmlElement

from scraper.errors import ExtractionError
from scraper.extraction import body as body_mod
from scraper.extraction.boilerplate import LearnedBoilerplate
from scraper.extraction.cleaning import (
    PageContext,
    clean_blocks,
    dedupe_adjacent,
    opens_with,
)
from scraper.extraction.comments import drop_comment_threads
from scraper.extraction.document import load
from scraper.extraction.dom import (
    drop_empty_links,
    drop_hidden,
    drop_signup_boxes,
    merge_split_bodies,
    printed_runs,
    unwrap_embedded_posts,
)
from scraper.extraction.galleries import drop_caption_galleries
from scraper.extraction.language import detect_language
from scraper.extraction.layout import unwrap_layout_tables, wrap_loose_text
from scraper.extraction.metadata import extract_metadata
from scraper.extraction.page_dump import blocks_in, is_page_dump, story_container
from scraper.extraction.result import Extraction
from scraper.extraction.structure import captions_of, standfirsts_of, teasers_of
from scraper.extraction.tag_lists import drop_tag_lists
from scraper.extraction.timebound import time_bound
from scraper.urls import parse_url

logger = logging.getLogger(__name__)

#: Names this code in every Extraction; bump when output for the same input changes.
EXTRACTOR_VERSION = "storyline-extract-16"


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    boilerplate: LearnedBoilerplate | None = None,
    timeout: float = 10.0,
    now: datetime | None = None,
) -> Extraction:
    """Extract the article from ``html`` (bytes are decoded; see :mod:`.encoding`).

    Raises :class:`~scraper.errors.ExtractionError` for empty, binary or non-HTML input
    and :class:`~scraper.errors.ExtractionTimeout` past ``timeout`` seconds. ``now`` is
    the instant dates may not exceed (default: the current time).
    """
    if url is not None:
        _check_url(url)
    try:
        return _extract(html, url, boilerplate=boilerplate, timeout=timeout, now=now)
    except ExtractionError:
        raise
    except RecursionError as exc:
        raise ExtractionError("document nested too deeply", url=url) from exc
    except Exception as exc:
        logger.exception("extraction failed on %s", url)
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}", url=url) from exc


def _check_url(url: str) -> None:
    """Refuse a page URL that cannot be parsed, before any work is spent on the page."""
    try:
        parse_url(url)
    except ValueError as exc:
        raise ExtractionError(f"not a usable page URL: {url!r} ({exc})", url=url) from exc


def _import_libraries() -> None:
    """Import trafilatura and htmldate before the time bound is armed.

    They are imported lazily (the CLI starts fast without them), but an alarm landing in the
    middle of a first import leaves half-initialised modules that break every later call.
    """
    import htmldate  # noqa: F401
    import trafilatura  # noqa: F401


def _drop_unread(tree: HtmlElement) -> list[HtmlElement]:
    """Remove what trafilatura never reads: ``<script>`` and ``<style>`` but JSON ones, and
    the ``<meta>`` and ``<link>`` elements of ``<head>`` (tails stay).

    Every path of trafilatura deletes or skips them (its cleaning, readability, jusText, the
    baseline) after copying the tree up to four times; of scripts only JSON-LD is read
    (forum pages, ``articleBody``). Removed once here, the copies and walks are cheaper.
    Runs after metadata, which reads all of them. Returns the scripts removed (a
    client-rendered page ships its article inside one: :func:`body.embedded_article`).
    """
    scripts = []
    for element in list(tree.iter("script", "style")):
        if element.tag == "script" and "json" in (element.get("type") or "").lower():
            continue
        if element.tag == "script":
            scripts.append(element)
        if element.getparent() is not None:
            element.drop_tree()
    for head in tree.iter("head"):
        for element in list(head.iterchildren("meta", "link")):
            element.drop_tree()
    return scripts


def _extract(
    html: str | bytes,
    url: str | None,
    *,
    boilerplate: LearnedBoilerplate | None,
    timeout: float,
    now: datetime | None,
) -> Extraction:
    _import_libraries()
    with time_bound(timeout, url) as deadline:
        document = load(html, url)
        deadline.check("parse")
        meta = extract_metadata(
            document.tree, url, now=now or datetime.now(UTC), thorough=not document.large
        )
        deadline.check("metadata")
        captions = captions_of(document.tree)
        drop_hidden(document.tree)
        drop_signup_boxes(document.tree, document.text)
        tag_lists = drop_tag_lists(document.tree)
        threads = drop_comment_threads(document.tree)
        galleries = drop_caption_galleries(document.tree)
        teasers = teasers_of(document.tree, (url, meta.canonical_url))
        drop_empty_links(document.tree)  # before loose text is wrapped: the page's own blocks
        layout = unwrap_layout_tables(document.tree)
        wrapped = wrap_loose_text(document.tree)
        merged = merge_split_bodies(document.tree)
        unwrap_embedded_posts(document.tree)
        scripts = _drop_unread(document.tree)
        spaces = body_mod.LinkSpaces(document.tree)
        content = body_mod.run_trafilatura(document.tree, url, fast=document.large)
        deadline.check("content")
        blocks = (
            dedupe_adjacent(body_mod.blocks_of(content, spaces), printed_runs(document.tree))
            if content is not None
            else []
        )
        # a story without prose: trafilatura's last resort is the whole page's text
        container = (
            story_container(document.tree, meta.headline)
            if content is not None and meta.headline and is_page_dump(content)
            else None
        )
        if container is not None:
            blocks = blocks_in(container)
        embedded = (
            None if blocks else body_mod.embedded_article([*scripts, *document.tree.iter("script")])
        )
        if embedded is not None:
            content = body_mod.run_trafilatura(embedded, url, fast=True)
            spaces = body_mod.LinkSpaces(embedded)
            blocks = body_mod.blocks_of(content, spaces) if content is not None else []
            captions |= captions_of(embedded)
        # marked-up standfirsts are only looked up when the description opens the body
        standfirsts: frozenset[str] = frozenset()
        if meta.standfirsts and any(opens_with(blocks, s) for s in meta.standfirsts):
            standfirsts = standfirsts_of(document.tree)
        context = PageContext(
            headline=meta.headline,
            titles=meta.titles,
            standfirsts=meta.standfirsts,
            authors=meta.authors,
            captions=captions,
            standfirst_elements=standfirsts,
            learned=boilerplate,
            teasers=teasers,
        )
        cleaned = clean_blocks(blocks, context)
        text = "\n\n".join(b.text for b in cleaned.blocks)
        language = detect_language(text, meta.language)
        notes = [*document.notes, *meta.notes]
        notes += [f"dropped:{reason}={n}" for reason, n in sorted(cleaned.reasons.items())]
        if merged:
            notes.append(f"merged-body-parts:{merged}")
        if layout:
            notes.append(f"layout-tables:{layout}")
        if threads:
            notes.append(f"comment-threads:{threads}")
        if tag_lists:
            notes.append(f"tag-lists:{tag_lists}")
        if galleries:
            notes.append(f"caption-galleries:{galleries}")
        if wrapped:
            notes.append(f"wrapped-loose-text:{wrapped}")
        if embedded is not None:
            notes.append("embedded-article")
        if container is not None:
            notes.append("page-dump:story-container")
        if content is None:
            notes.append("no-main-content")
        return Extraction(
            headline=meta.headline,
            authors=meta.authors,
            published_at=meta.published_at,
            modified_at=meta.modified_at,
            description=meta.description,
            language=language,
            body=text,
            canonical_url=meta.canonical_url,
            site_name=meta.site_name,
            extractor=EXTRACTOR_VERSION,
            notes=tuple(notes),
            organisation=meta.organisation,
            provenance=meta.provenance,
            learnable_lines=cleaned.learnable,
        )
