"""Turning fetched bytes into text: BOM, valid UTF-8, declared charset, then safe fallbacks.

A page's declared charset is often wrong (a Latin-1 page declared UTF-8, a UTF-8 page
still declaring the Latin-1 of the site it was converted from, an unknown label, a typo).
Decoding must never fail: we try the BOM, strict UTF-8 when the page has non-ASCII bytes
(text in any other charset is almost never valid UTF-8, so validity is the stronger
evidence than a label), the declarations, then charset detection on a bounded prefix, and
finally UTF-8 with replacement characters.
"""

from __future__ import annotations

import codecs
import logging
import re

logger = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]{1,40})""", re.IGNORECASE
)

# WHATWG: these labels mean windows-1252 in browsers, which is a superset.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-user-defined": "cp1252",
    "unicode": "utf-16",
}

_SNIFF_BYTES = 4096
_DETECT_BYTES = 200_000


def declared_charset(data: bytes) -> str | None:
    """The charset named by a ``<meta>`` tag near the top of the document, if any."""
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        logger.debug("unknown declared charset %r", label)
        return None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode an HTML document; never raises on bad input.

    ``declared`` is an optional charset from the HTTP Content-Type header; the BOM
    wins over it and it wins over the ``<meta>`` declaration, as in browsers.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    candidates: list[str] = []
    if not data.isascii():
        candidates.append("utf-8")  # valid UTF-8 beyond ASCII is UTF-8, whatever the label
    if declared:
        label = _LABEL_ALIASES.get(declared.strip().lower(), declared.strip().lower())
        try:
            candidates.append(codecs.lookup(label).name)
        except LookupError:
            logger.debug("unknown header charset %r", declared)
    meta = declared_charset(data)
    if meta:
        candidates.append(meta)
    candidates.append("utf-8")
    for encoding in dict.fromkeys(candidates):
        if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
            # an ASCII-compatible page that declares UTF-16 is lying (HTML spec says utf-8)
            continue
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    guess = _detect(data[:_DETECT_BYTES])
    if guess:
        try:
            return data.decode(guess, errors="replace")
        except LookupError:
            pass
    return data.decode("utf-8", errors="replace")


def _detect(sample: bytes) -> str | None:
    """Statistical charset guess on a prefix (charset_normalizer, trafilatura's dependency)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it ships with trafilatura
        return "cp1252"
    best = from_bytes(sample).best()
    return best.encoding if best is not None else None
