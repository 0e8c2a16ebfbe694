"""Accepting input: refuse non-documents, bound the size, parse once.

Everything downstream works on one lxml tree parsed here. Binary payloads (images,
PDFs, archives), empty input and text without any markup raise
:class:`~scraper.errors.ExtractionError`; huge pages are reduced (scripts, styles and
comments dropped, then truncated) so that parsing stays bounded.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring

from scraper.errors import ExtractionError, ExtractionTimeout
from scraper.extraction.encoding import decode_html

logger = logging.getLogger(__name__)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x00", "binary data"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"wOF", "web font"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"BZh", "bzip2 data"),
)

_HTML_SIGNS = re.compile(
    r"<(?:!doctype\s+html|html|head|body|title|meta|div|p|article|main|section|span|a|h[1-6]|br|table|ul|ol|li|script|link)\b",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: Numeric character references to characters XML forbids (C0 controls but tab, LF, CR):
#: lxml puts them into the tree, where trafilatura then refuses the whole text.
_INVALID_CHAR_REF = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01])(?![0-9])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])(?![0-9a-fA-F]));?"
)
_SCRIPT_STYLE = re.compile(
    r"<script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<!--.*?-->|<svg\b[^>]*>.*?</svg\s*>",
    re.IGNORECASE | re.DOTALL,
)

#: An inline resource's data (a base64 image in ``src``, a font in a style): no text, and at
#: several megabytes it would push the article past :data:`MAX_CHARS`.
_DATA_URI = re.compile(r"""data:[^"'\s)>]{256,}""")

#: Above this many characters a page is reduced before parsing (scripts, styles, comments,
#: inline data).
REDUCE_ABOVE = 1_000_000
#: After reduction, pages are cut to this many characters (lxml closes open elements).
MAX_CHARS = 2_000_000
#: Above this many elements, the costlier heuristics (generic byline search) are skipped.
LARGE_DOM = 30_000


@dataclass(frozen=True)
class Document:
    """A parsed page: its decoded text, its tree, and notes on what was done to it."""

    text: str
    tree: HtmlElement
    notes: tuple[str, ...] = ()
    elements: int = 0

    @property
    def large(self) -> bool:
        return self.elements > LARGE_DOM


def to_text(html: str | bytes, url: str | None = None) -> str:
    """Decode bytes and refuse what is not a document."""
    if isinstance(html, bytes | bytearray | memoryview):
        data = bytes(html)
        if not data.strip():
            raise ExtractionError("empty document", url=url)
        head = data[:16].lstrip()
        for magic, kind in _MAGIC:
            if head.startswith(magic) or data.startswith(magic):
                raise ExtractionError(f"not HTML: looks like {kind}", url=url)
        text = decode_html(data)
    elif isinstance(html, str):
        text = html
    else:
        raise ExtractionError(f"cannot extract from {type(html).__name__}", url=url)
    if not text.strip():
        raise ExtractionError("empty document", url=url)
    sample = text[:8192]
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    if bad > max(16, len(sample) // 10):
        raise ExtractionError("not HTML: binary content", url=url)
    if not _HTML_SIGNS.search(text[:500_000]):
        raise ExtractionError("not HTML: no markup", url=url)
    return text


#: Soft hyphens (U+00AD, ``&shy;``) are invisible break hints inside words, word joiners
#: (U+2060) and zero-width no-break spaces (U+FEFF) invisible bonds between characters;
#: kept, they split words for search, phrase matching and comparison.
_SOFT_HYPHEN = re.compile(r"\xad|&shy;|&#173;|&#x0*ad;|\u2060|\ufeff", re.IGNORECASE)
_SOFT_HYPHEN_SIGNS = ("\xad", "&shy;", "&#173;", "&#xad;", "&#xAD;", "\u2060", "\ufeff")


_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
_HTML_OPEN = re.compile(r"<html\b[^<>]*>", re.IGNORECASE)
_BROKEN_DOCTYPE = re.compile(r"^\s*<!doctype\b[^<>]*(?=<)", re.IGNORECASE)


def repair_damaged_head(text: str) -> str:
    """Close what would swallow the whole page: a ``<title>`` never closed (every parser
    reads the rest of the page as its text), a ``<!DOCTYPE`` without its ``>``, and an
    ``<html .../>`` start tag written as self-closing (a page cut and glued by a crawler:
    lxml closes the root there and the page comes out empty).

    The title is closed at the end of its first line.
    """
    text = _BROKEN_DOCTYPE.sub("", text, count=1)
    root = _HTML_OPEN.search(text, 0, 50_000)
    if root is not None and root.group().endswith("/>"):
        text = text[: root.start()] + root.group()[:-2].rstrip() + ">" + text[root.end() :]
    opening = _TITLE_OPEN.search(text, 0, 50_000)
    if opening is not None and _TITLE_CLOSE.search(text, opening.end()) is None:
        end = text.find("\n", opening.end())
        end = len(text) if end < 0 else end
        text = text[:end] + "</title>" + text[end:]
    return text


def strip_soft_hyphens(text: str) -> str:
    """``text`` without soft hyphens (as characters or as entities), word joiners and
    zero-width no-break spaces."""
    if any(sign in text for sign in _SOFT_HYPHEN_SIGNS):
        return _SOFT_HYPHEN.sub("", text)
    return text


@cache
def _parser(huge: bool = False) -> etree.HTMLParser:
    """trafilatura's parser options (with ``huge`` libxml2's ``huge_tree`` too, see
    :func:`_parse`). Element classes chosen in C, not by lxml.html's Python callback on
    every element access (form-field classes are unused)."""
    parser = etree.HTMLParser(
        collect_ids=False,
        huge_tree=huge,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    return parser


def _parse(source: str | bytes) -> HtmlElement:
    """The page's tree; parsed again with ``huge_tree`` when libxml2 stopped at its bound
    of 256 levels of nesting (unclosed elements of a page builder reach it, and the story
    below was lost whole): up to 2,048 then, :func:`load` bounding the page's size. Not
    every time: trees built so cost every later step about a tenth more."""
    parser = _parser()
    tree = fromstring(source, parser=parser)
    last = parser.error_log.last_error
    if last is not None and last.type_name == "ERR_RESOURCE_LIMIT":
        tree = fromstring(source, parser=_parser(huge=True))
    return tree


def _from_bytes(text: str) -> HtmlElement | None:
    try:
        return _parse(text.encode("utf8", "surrogatepass"))
    except ExtractionTimeout:
        raise
    except Exception as exc:
        logger.debug("lxml parser bytestring: %s", exc)
    return None


@cache
def _invalid_xml_chars() -> tuple[str, ...]:
    from trafilatura.utils import INVALID_XML_CHARS

    return tuple(chr(c) for c in range(0x10000) if INVALID_XML_CHARS.match(chr(c)))


def repair_faulty_html(text: str, beginning: str) -> str:
    """``trafilatura.utils.repair_faulty_html``, step by step; its regex substitution of
    invalid characters (a scan of the whole page) only when one occurs: ``in`` tests are
    several times faster."""
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS

    if any(char in text for char in _invalid_xml_chars()):
        text = INVALID_XML_CHARS.sub("", text)
    if "&#" in text:
        text = _INVALID_CHAR_REF.sub("", text)
    if "doctype" in beginning:
        firstline, _, rest = text.partition("\n")
        text = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in text[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            text = FAULTY_HTML.sub(r"\1>", text, count=1)
            break
    return text


def load_html(text: str) -> HtmlElement | None:
    """``trafilatura.utils.load_html`` for a string, step by step, with :func:`_parser`."""
    from trafilatura.utils import is_dubious_html

    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    tree = None
    fallback = False
    try:
        tree = _parse(text)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = _from_bytes(text)
        fallback = True
    except ExtractionTimeout:  # the time bound's alarm, not a parse error
        raise
    except Exception as exc:
        logger.debug("lxml parsing failed: %s", exc)
    if (tree is None or len(tree) < 1) and not fallback:
        tree = _from_bytes(text)
    if tree is not None and dubious and len(tree) < 2:
        tree = None
    return tree


def load(html: str | bytes, url: str | None = None) -> Document:
    """Decode, validate, bound and parse ``html`` into a :class:`Document`."""
    text = to_text(html, url)
    notes: list[str] = []
    if len(text) > REDUCE_ABOVE:
        reduced = _DATA_URI.sub("data:", _SCRIPT_STYLE.sub("", text))
        if len(reduced) < len(text):
            notes.append(f"reduced:{len(text)}->{len(reduced)}")
        text = reduced
    if len(text) > MAX_CHARS:
        logger.info("truncating %s from %d to %d characters", url, len(text), MAX_CHARS)
        notes.append(f"truncated:{len(text)}")
        text = text[:MAX_CHARS]
    text = _CONTROL.sub("", text) if "\x00" in text else text
    text = repair_damaged_head(strip_soft_hyphens(text))
    try:
        tree = load_html(text)
    except ExtractionTimeout:
        raise
    except Exception as exc:  # lxml raises a zoo of errors on hostile input
        raise ExtractionError(f"unparseable HTML: {exc}", url=url) from exc
    if tree is None:
        raise ExtractionError("unparseable HTML", url=url)
    joined = join_documents(tree)
    if joined:
        notes.append(f"joined-documents:{joined}")
    space_line_breaks(tree)
    elements = int(tree.xpath("count(//*)"))
    if elements > LARGE_DOM:
        notes.append(f"large-dom:{elements}")
    return Document(text=text, tree=tree, notes=tuple(notes), elements=elements)


def space_line_breaks(tree: HtmlElement) -> None:
    """A space before the text that follows a ``<br>``: an element's text read whole
    (``text_content``, as the headline, byline and date finders read a heading or a line)
    does not show a line break, and "Ferry returns<br>to the pier" read "returnsto"."""
    for br in tree.iter("br"):
        tail = br.tail
        if tail and not tail[0].isspace():
            br.tail = " " + tail


def join_documents(tree: HtmlElement) -> int:
    """Fold the documents that follow the first one into it; how many there were.

    A page served as several documents one after another (a server-side include sends its
    own ``<html>…</html>`` before the article's) parses into sibling top-level elements,
    and trafilatura and the field finders read only the first: the article is never seen.
    Each later document's head joins the first one's head and its body, as a ``<div>``,
    the first one's body, in document order.
    """
    later = [e for e in tree.itersiblings() if isinstance(e.tag, str)]
    if not later:
        return 0
    head = tree.find("head")
    if head is None:
        head = tree.makeelement("head", {})
        tree.insert(0, head)
    body = tree.find("body")
    if body is None:
        body = etree.SubElement(tree, "body")
    for document in later:
        parts = list(document) if document.tag == "html" else [document]
        for part in parts:
            if part.tag == "head":
                head.extend(list(part))
                continue
            if part.tag == "body":
                part.tag = "div"
                part.attrib.clear()
            body.append(part)
        for leftover in list(document):  # emptied heads: nothing the readers would see
            document.remove(leftover)
    return len(later)
