"""The HTTP fetcher: one GET, hardened against servers that misbehave.

httpx gives us connections and parsing; this module adds what it lacks for crawling
strangers' servers: a total deadline per fetch (a slow-drip server cannot hold us),
a cap on the *decoded* body (a compression bomb, stacked or not, stops at the cap while
it inflates: :mod:`scraper.decoding`), manual redirects with every hop checked against
private, loopback and link-local addresses (:mod:`scraper.addresses`), content-type checks
before the body is read, and errors from :mod:`scraper.errors` that say what went wrong and
where. The headers it sends and keeps (validators byte for byte, cookies across hops, the
record of the exchange) are :mod:`scraper.fetch_headers`.

Politeness (robots.txt, gaps between requests, backoff) is the crawler's job: a
:class:`Fetcher` does one request chain when asked and nothing else.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
import zlib
from collections.abc import AsyncGenerator, Callable, Collection
from datetime import datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from scraper import errors
from scraper.addresses import Resolver, is_public_address, private_allowed, system_resolver
from scraper.decoding import ACCEPT_ENCODING, BoundedDecoder
from scraper.fetch_headers import (
    VALIDATORS,
    accept_header,
    exchange,
    header_list,
    parse_retry_after,
    remember_cookies,
    validator_bytes,
)
from scraper.fetched import FetchResult, FetchScope, FetchSettings, media_type, utcnow

logger = logging.getLogger(__name__)

HTML_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
ANY_TYPE: frozenset[str] = frozenset({"*/*"})

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


def _sniff(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:256].lower()
    if start.startswith(b"<?xml"):
        return "application/xml"
    if start.startswith(b"\x1f\x8b"):
        return "application/gzip"
    if start.startswith(b"<"):
        return "text/html"
    return "application/octet-stream"


def _cookie_jar() -> CookieJar:
    # Cookies are not kept between fetches (memory, privacy); redirect hops carry their own.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class Fetcher:
    """Fetches URLs with one shared connection pool; use as an async context manager."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = utcnow,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self._clock = clock
        # An injected transport usually fakes the network: don't resolve its names for real.
        self._resolver: Resolver | None = resolver or (
            system_resolver if transport is None else None
        )
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.deadline,
        )
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            cookies=_cookie_jar(),
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_connections,
            ),
            headers={"User-Agent": settings.user_agent},
        )
        self._resolved: dict[tuple[str, int], tuple[float, list[str]]] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Collection[str] = HTML_TYPES,
        stop_at: Callable[[str], bool] | None = None,
        truncate_at: int | None = None,
        scope: FetchScope | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects; return 2xx/304 or raise a :class:`FetchError`.

        ``scope`` says, for the source this fetch is for, which hosts' private addresses may
        be fetched and where redirects may lead (every hop is checked); without it the
        settings' ``allow_private_hosts`` apply and redirects may go to any public host.

        A redirect to a URL for which ``stop_at`` is true is not followed: the result is
        that redirect (``redirect_only``), so a page already downloaded is not downloaded again.
        With ``truncate_at``, a body longer than that many decoded bytes is cut there
        (``truncated``) instead of failing at the cap: for robots.txt, read from its start.
        """
        started_at = self._clock()
        t0 = time.monotonic()
        try:
            async with asyncio.timeout(self.settings.deadline):
                return await self._fetch_chain(
                    url,
                    etag,
                    last_modified,
                    accept,
                    started_at,
                    t0,
                    stop_at,
                    truncate_at,
                    scope or FetchScope(self.settings.allow_private_hosts),
                )
        except TimeoutError as exc:
            raise errors.TimeoutError_(
                f"no complete answer within the {self.settings.deadline:g}s deadline", url=url
            ) from exc

    async def _fetch_chain(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        accept: Collection[str],
        started_at: datetime,
        t0: float,
        stop_at: Callable[[str], bool] | None,
        truncate_at: int | None,
        scope: FetchScope,
    ) -> FetchResult:
        hops: list[str] = []
        cookies: dict[str, dict[str, str]] = {}
        current = _clean_url(url)
        headers: dict[str, str | bytes] = {
            "Accept": accept_header(accept),
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified)):
            raw = validator_bytes(value)
            if raw is not None:
                headers[name] = raw
        while True:
            host = await self._check_url(current, original=url, scope=scope)
            hop_headers = dict(headers)
            if cookies.get(host):
                hop_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies[host].items())
            try:
                async with self._client.stream(
                    "GET", current, headers=header_list(hop_headers)
                ) as response:
                    self._check_peer(response, host, current, scope)
                    status = response.status_code
                    if status in _REDIRECT_CODES or (300 <= status < 400 and status != 304):
                        location = response.headers.get("location")
                        if not location:
                            raise errors.HTTPStatusError(
                                f"HTTP {status} without a Location header",
                                url=current,
                                status=status,
                            )
                        remember_cookies(response, host, cookies)
                        target = _clean_url(urljoin(current, location.strip()))
                        hops.append(current)
                        if len(hops) > self.settings.max_redirects:
                            raise errors.TooManyRedirects(
                                f"more than {self.settings.max_redirects} redirects",
                                url=url,
                                status=status,
                            )
                        if target == current or target in hops:
                            raise errors.TooManyRedirects(
                                f"redirect loop via {target}", url=url, status=status
                            )
                        logger.debug("redirect %s -> %s (%d)", current, target, status)
                        if stop_at is not None and stop_at(target):
                            return FetchResult(
                                url=url,
                                final_url=target,
                                status=status,
                                headers={},
                                body=b"",
                                content_type="",
                                charset=None,
                                redirects=tuple(hops),
                                started_at=started_at,
                                elapsed=time.monotonic() - t0,
                                **exchange(response),
                            )
                        current = target
                        continue
                    return await self._answer(
                        response, url, current, tuple(hops), accept, started_at, t0, truncate_at
                    )
            except httpx.TimeoutException as exc:
                raise errors.TimeoutError_(
                    f"timed out ({type(exc).__name__})", url=current
                ) from exc
            except httpx.ConnectError as exc:
                raise errors.ConnectError(
                    f"cannot connect: {exc or type(exc).__name__}", url=current
                ) from exc
            except httpx.UnsupportedProtocol as exc:
                raise errors.InvalidURLError(str(exc), url=current) from exc
            except (httpx.InvalidURL, ValueError) as exc:
                if isinstance(exc, errors.FetchError):
                    raise
                raise errors.InvalidURLError(f"invalid URL: {exc}", url=current) from exc
            except (httpx.TransportError, httpx.DecodingError, zlib.error) as exc:
                raise errors.ProtocolError(
                    f"broken response: {exc or type(exc).__name__}", url=current
                ) from exc

    async def _answer(
        self,
        response: httpx.Response,
        url: str,
        final_url: str,
        hops: tuple[str, ...],
        accept: Collection[str],
        started_at: datetime,
        t0: float,
        truncate_at: int | None = None,
    ) -> FetchResult:
        status = response.status_code
        headers = {k.lower(): v for k, v in response.headers.items()}
        # Validators are echoed back byte for byte: keep their raw bytes, one char per byte.
        for raw_name, raw_value in response.headers.raw:
            name = raw_name.decode("latin-1").lower()
            if name in VALIDATORS:
                headers[name] = raw_value.decode("latin-1")
        if status >= 400 or status < 200:
            retry_after = None
            if status in (429, 503):
                retry_after = parse_retry_after(headers.get("retry-after"), self._clock())
            raise errors.HTTPStatusError(
                f"HTTP {status}", url=final_url, status=status, retry_after=retry_after
            )
        kind, charset = media_type(headers.get("content-type"))
        if status == 304:
            return FetchResult(
                url,
                final_url,
                status,
                headers,
                b"",
                kind,
                charset,
                hops,
                started_at,
                time.monotonic() - t0,
                **exchange(response),
            )
        declared_length = headers.get("content-length", "")
        if (
            truncate_at is None
            and declared_length.isdigit()
            and int(declared_length) > self.settings.max_bytes
        ):
            raise errors.TooLargeError(
                f"Content-Length {declared_length} exceeds the {self.settings.max_bytes} byte cap",
                url=final_url,
                status=status,
            )
        chunks = self._decoded(response, final_url, truncate_at)
        try:
            first = b""
            if not kind:
                first = await anext(chunks, b"")
                kind = _sniff(first)
            if "*/*" not in accept and kind not in accept:
                raise errors.NotHTMLError(
                    f"content type {kind or 'unknown'} is not one of {', '.join(sorted(accept))}",
                    url=final_url,
                    status=status,
                    content_type=kind,
                )
            parts = [first]
            async for chunk in chunks:
                parts.append(chunk)
        finally:
            await chunks.aclose()
        body = b"".join(parts)
        truncated = truncate_at is not None and len(body) > truncate_at
        return FetchResult(
            url,
            final_url,
            status,
            headers,
            body[:truncate_at] if truncated else body,
            kind,
            charset,
            hops,
            started_at,
            time.monotonic() - t0,
            truncated=truncated,
            **exchange(response),
        )

    async def _decoded(
        self, response: httpx.Response, url: str, truncate_at: int | None = None
    ) -> AsyncGenerator[bytes, None]:
        """The body decoded from its Content-Encoding, raising once it passes the cap.

        With ``truncate_at`` it stops one byte past that instead (the caller cuts it).
        """
        cap = (
            self.settings.max_bytes
            if truncate_at is None
            else min(truncate_at, self.settings.max_bytes)
        )
        total = 0
        too_large = errors.TooLargeError(
            f"decoded body exceeds the {cap} byte cap", url=url, status=response.status_code
        )
        decoder = BoundedDecoder(response.headers.get("content-encoding"), url=url)
        async for raw in response.aiter_raw(_CHUNK):
            for piece in decoder.decode(raw):
                total += len(piece)
                if total > cap:
                    if truncate_at is None:
                        raise too_large
                    yield piece
                    return
                yield piece

    async def _check_url(self, url: str, *, original: str, scope: FetchScope) -> str:
        """Validate scheme/host, keep redirects in scope, refuse private addresses; return the host."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise errors.InvalidURLError(
                f"cannot fetch a {parts.scheme or 'relative'} URL", url=url
            )
        host = (parts.hostname or "").lower()
        if not host:
            raise errors.InvalidURLError("URL has no host", url=url)
        via = "" if url == original else f" (redirected from {original})"
        if not private_allowed(host, scope):
            try:
                port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError as exc:
                raise errors.InvalidURLError(f"bad port: {exc}", url=url) from exc
            addresses = await self._resolve(host, port, url)
            blocked = [a for a in addresses if not is_public_address(a)]
            if blocked:
                raise errors.BlockedAddressError(
                    f"{host} resolves to non-public address {blocked[0]}{via}", url=url
                )
        if via and scope.allows is not None and not scope.allows(url):
            raise errors.OutOfScopeError(f"{host} is outside the source's scope{via}", url=url)
        return host

    def _check_peer(self, response: httpx.Response, host: str, url: str, scope: FetchScope) -> None:
        """Re-check the address actually connected to (DNS may change between checks)."""
        if private_allowed(host, scope):
            return
        stream = response.extensions.get("network_stream")
        if stream is None:
            return
        peer = stream.get_extra_info("server_addr")
        if peer and not is_public_address(str(peer[0])):
            raise errors.BlockedAddressError(
                f"{host} connected to non-public address {peer[0]}", url=url
            )

    async def _resolve(self, host: str, port: int, url: str) -> list[str]:
        try:
            ipaddress.ip_address(host.strip("[]"))
            return [host.strip("[]")]
        except ValueError:
            pass
        if self._resolver is None:
            return []
        now = time.monotonic()
        cached = self._resolved.get((host, port))
        if cached and cached[0] > now:
            return cached[1]
        try:
            addresses = await self._resolver(host, port)
        except OSError as exc:
            raise errors.ConnectError(f"cannot resolve {host}: {exc}", url=url) from exc
        if len(self._resolved) > 4096:
            self._resolved.clear()
        self._resolved[(host, port)] = (now + 60.0, addresses)
        return addresses


def _clean_url(url: str) -> str:
    """Drop the fragment (never sent) and normalise an empty path to '/'."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def fetch_once(url: str, settings: FetchSettings, **kw: object) -> FetchResult:
    """Fetch one URL synchronously (for one-off CLI use); keywords go to :meth:`Fetcher.fetch`."""

    async def run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kw)  # type: ignore[arg-type]

    return asyncio.run(run())
