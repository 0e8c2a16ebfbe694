"""Canonical URLs, scope and include/exclude filters: one article, one URL.

The same article reaches us as ``HTTP://Example.com:80/a?utm_source=x#top``,
``http://example.com/a`` and ``http://example.com/%61``. :func:`canonicalize` maps them
all to one string, so the frontier (unique on canonical URL) downloads it once.

What changes: scheme and host lower-cased (UTS 46 / IDNA 2008 for non-ASCII hosts, through
the ``idna`` package, as httpx itself encodes them), default port and
credentials dropped, an empty path becomes ``/``, dot segments resolved, percent-encoding
normalised (unreserved characters decoded, escapes upper-cased, unsafe characters
encoded), tracking parameters removed, remaining query parameters sorted by name
(stable for repeated names), the fragment dropped. What does not: the path's case and
trailing slash, which servers may treat as different resources.

What is refused: a URL longer than :data:`MAX_URL_LENGTH` or a host name longer than DNS
allows. Such a link is hostile or broken, no browser follows it, and the archive's unique
indexes could not hold it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

import idna

#: query parameters that only say who sent the click
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "igshid", "igsh", "li_fat_id", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc",
        "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "rb_clickid",
        "s_cid", "wt_mc", "wt.mc_id", "cmpid", "ocid", "ncid", "smid", "sr_share", "ito",
        "ns_campaign", "ns_mchannel", "ns_source", "ns_linkname", "ns_fee", "at_medium",
        "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "spm",
        "share", "ref_src", "ref_url", "__twitter_impression", "mbid", "cid_source",
    }
)  # fmt: skip
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "hsa_", "__hs")

#: the sitemaps protocol's limit; PostgreSQL's unique index on ``url.url`` fails near 2,700 bytes
MAX_URL_LENGTH = 2048
#: a DNS name: at most 253 characters, labels of at most 63
MAX_HOST_LENGTH = 253
MAX_LABEL_LENGTH = 63

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
_BAD_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/:@!$'()*+,;-._~%?"


class InvalidURL(ValueError):
    """A string that is not an absolute http(s) URL with a host."""


class URLTooLong(InvalidURL):
    """A URL or host name past the limits the archive accepts."""


def _normalise_escapes(text: str, safe: str) -> str:
    def unescape_unreserved(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    text = _BAD_PCT.sub("%25", text)
    text = _PCT.sub(unescape_unreserved, text)
    return quote(text, safe=safe)


def _normalise_path(path: str) -> str:
    if not path:
        return "/"
    trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
    resolved = posixpath.normpath(path)
    if resolved.startswith("//"):
        resolved = "/" + resolved.lstrip("/")
    if resolved == ".":
        resolved = "/"
    if trailing and not resolved.endswith("/"):
        resolved += "/"
    return _normalise_escapes(resolved, _PATH_SAFE)


def is_tracking_param(name: str, extra: Collection[str] = ()) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES) or lowered in extra


def _normalise_query(query: str, strip: Collection[str]) -> str:
    if not query:
        return ""
    pairs = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if k and not is_tracking_param(k, strip)
    ]
    pairs.sort(key=lambda kv: kv[0])
    return urlencode(pairs, quote_via=quote, safe=_QUERY_SAFE.replace("%", ""))


def normalise_host(host: str) -> str:
    """Lower case, no trailing dot, non-ASCII names as UTS 46 A-labels (``straße.de`` stays
    ``xn--strae-oqa.de``, not IDNA 2003's ``strasse.de``); too long a name is refused."""
    host = host.strip().rstrip(".").lower()
    if not host or host.startswith("["):
        return host
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise InvalidURL(f"bad host name {host!r}: {exc}") from exc
    if len(host) > MAX_HOST_LENGTH or any(
        len(label) > MAX_LABEL_LENGTH for label in host.split(".")
    ):
        raise URLTooLong(
            f"host name of {len(host)} characters: DNS allows {MAX_HOST_LENGTH}, "
            f"labels of {MAX_LABEL_LENGTH}"
        )
    return host


def canonicalize(url: str, *, strip_params: Collection[str] = ()) -> str:
    """The canonical form of an absolute http(s) URL; raises :class:`InvalidURL`."""
    url = url.strip()
    if not url.isascii() and any("\ud800" <= c <= "\udfff" for c in url):
        # Unpaired surrogates (JSON-LD "\ud800") have no UTF-8 form to percent-encode.
        raise InvalidURL(f"URL contains an unpaired surrogate: {url!r}")
    if len(url) > 16 * MAX_URL_LENGTH:  # not worth parsing: tracking junk never explains it
        raise URLTooLong(f"URL of {len(url)} characters (the limit is {MAX_URL_LENGTH})")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"cannot parse {url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidURL(f"not an http(s) URL: {url!r}")
    host = normalise_host(parts.hostname or "")
    if not host or any(c in host for c in " \t\r\n<>\"'{}|\\^`"):
        raise InvalidURL(f"URL has no valid host: {url!r}")
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    lowered_strip = frozenset(s.lower() for s in strip_params)
    canonical = urlunsplit(
        (
            scheme,
            netloc,
            _normalise_path(parts.path),
            _normalise_query(parts.query, lowered_strip),
            "",
        )
    )
    if len(canonical) > MAX_URL_LENGTH:
        raise URLTooLong(
            f"URL of {len(canonical)} characters (the limit is {MAX_URL_LENGTH}): {canonical[:80]}…"
        )
    return canonical


def try_canonicalize(
    url: str, *, base: str | None = None, strip_params: Collection[str] = ()
) -> str | None:
    """Like :func:`canonicalize` (resolving ``url`` against ``base``), but None when invalid."""
    try:
        if base is not None:
            url = urljoin(base, url.strip())
        return canonicalize(url, strip_params=strip_params)
    except (InvalidURL, ValueError):
        return None


def join_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``; None when either cannot be parsed (``http://[x``):
    a link read from a page or a feed is hostile input like the rest of it."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def parse_url(url: str) -> SplitResult:
    """``url`` (surrounding white space ignored) split into its parts; raises ValueError
    when it cannot be parsed, a malformed port included (that one raises only when read)."""
    parts = urlsplit(url.strip())
    parts.port  # noqa: B018 - read for the ValueError a malformed port raises
    return parts


def split_url(url: str) -> SplitResult | None:
    """:func:`parse_url`, or None when ``url`` cannot be parsed: an address read from a
    page is hostile input, skipped rather than failing what reads it."""
    try:
        return parse_url(url)
    except ValueError:
        return None


def host_of(url: str) -> str:
    """The lower-case host name of ``url`` (no port)."""
    return normalise_host(urlsplit(url).hostname or "")


def host_key(url: str) -> str:
    """The politeness key of ``url``: host, plus the port when it is not the default."""
    parts = urlsplit(url)
    host = normalise_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


def origin_of(url: str) -> str:
    """``scheme://netloc`` of ``url`` (where robots.txt lives); IPv6 literals keep brackets."""
    parts = urlsplit(url)
    host = normalise_host(parts.hostname or "")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{parts.scheme.lower()}://{host}"
    return f"{parts.scheme.lower()}://{host}:{port}"


@dataclass(frozen=True)
class Scope:
    """The hosts a source may fetch from: exact names, or ``*.example.com`` for subdomains."""

    hosts: frozenset[str]

    @classmethod
    def of(cls, patterns: Iterable[str]) -> Scope:
        return cls(frozenset(normalise_host(p.strip()) for p in patterns if p.strip()))

    def __contains__(self, url: object) -> bool:
        if not isinstance(url, str):
            return False
        host = host_of(url)
        if not host:
            return False
        for pattern in self.hosts:
            if pattern.startswith("*."):
                suffix = pattern[1:]
                if host.endswith(suffix) or host == pattern[2:]:
                    return True
            elif host == pattern:
                return True
        return False


@dataclass(frozen=True)
class UrlFilter:
    """Include/exclude regular expressions, searched anywhere in the canonical URL.

    With no include patterns every URL is included; any exclude match wins.
    """

    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def compile(cls, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> UrlFilter:
        return cls(tuple(re.compile(p) for p in include), tuple(re.compile(p) for p in exclude))

    def __call__(self, url: str) -> bool:
        if any(p.search(url) for p in self.exclude):
            return False
        return not self.include or any(p.search(url) for p in self.include)
