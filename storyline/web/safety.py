"""Turning strangers' strings into something safe to show: links only to http(s), XML-safe text.

Archived text is escaped by Jinja2's autoescape; these helpers cover what escaping alone
does not: a ``javascript:`` URL is perfectly escaped and still runs when clicked.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: characters XML 1.0 forbids (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: headers sent with every response (see create_app): no inline script or style, no framing
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
)


def http_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http or https URL with a host, else None (never a link)."""
    if not url:
        return None
    text = url.strip()
    if text != url or any(ord(c) < 0x21 for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def xml_text(text: str | None) -> str:
    """``text`` without the characters an XML document may not contain."""
    return _NOT_XML.sub("\ufffd", text or "")
