"""The fetcher against a real loopback server that misbehaves on purpose."""

from __future__ import annotations

import asyncio
import gzip
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from scraper import errors
from scraper.fetcher import (
    ANY_TYPE,
    Fetcher,
    FetchResult,
    FetchSettings,
    fetch_once,
    is_public_address,
    parse_retry_after,
)
from tests.httpserver import HTTPTestServer, Request, Route, gzip_bomb
from tests.scraper.conftest import ServerFactory

PAGE = "<html><head><title>t</title></head><body><p>Hello, world.</p></body></html>"


def settings(**kw: object) -> FetchSettings:
    base: dict[str, object] = {
        "user_agent": "storyline-test/1 (+https://example.org/contact)",
        "allow_private_hosts": frozenset({"127.0.0.2"}),
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "deadline": 5.0,
    }
    base.update(kw)
    return FetchSettings(**base)  # type: ignore[arg-type]


def fetch(url: str, s: FetchSettings | None = None, **kw: object) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(s or settings()) as fetcher:
            return await fetcher.fetch(url, **kw)  # type: ignore[arg-type]

    return asyncio.run(run())


def test_ok_page_has_decoded_body_type_charset_and_headers(http_server: HTTPTestServer) -> None:
    http_server.add("/a", Route(body=PAGE, headers={"ETag": '"v1"', "X-Thing": "Yes"}))
    result = fetch(http_server.url("/a#frag"))
    assert result.status == 200
    assert result.body == PAGE.encode()
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.headers["etag"] == '"v1"'
    assert result.headers["x-thing"] == "Yes"
    assert result.final_url == http_server.url("/a")
    assert result.redirects == ()
    assert result.started_at.tzinfo is not None
    assert not result.not_modified
    request = http_server.requests("/a")[0]
    assert request.headers["user-agent"].startswith("storyline-test/1")


def test_gzip_encoded_body_is_decoded(http_server: HTTPTestServer) -> None:
    http_server.add("/gz", Route(body=PAGE * 50, gzip=True))
    assert fetch(http_server.url("/gz")).body == (PAGE * 50).encode()


def test_deflate_encoded_body_is_decoded(http_server: HTTPTestServer) -> None:
    import zlib

    http_server.add(
        "/d", Route(body=zlib.compress(PAGE.encode()), headers={"Content-Encoding": "deflate"})
    )
    assert fetch(http_server.url("/d")).body == PAGE.encode()


def test_conditional_get_returns_304_without_raising(http_server: HTTPTestServer) -> None:
    def answer(request: Request) -> Route:
        if request.headers.get("if-none-match") == '"v1"':
            return Route(status=304, content_type=None, headers={"ETag": '"v1"'})
        return Route(body=PAGE, headers={"ETag": '"v1"'})

    http_server.add("/c", answer)
    first = fetch(http_server.url("/c"))
    second = fetch(
        http_server.url("/c"), etag=first.etag, last_modified="Mon, 01 Jan 2024 00:00:00 GMT"
    )
    assert second.not_modified and second.status == 304 and second.body == b""
    sent = http_server.requests("/c")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_404_raises_status_error_that_is_not_retryable(http_server: HTTPTestServer) -> None:
    with pytest.raises(errors.HTTPStatusError) as info:
        fetch(http_server.url("/missing"))
    assert info.value.status == 404
    assert not info.value.retryable
    assert info.value.url == http_server.url("/missing")
    assert info.value.host == "127.0.0.2"


def test_503_carries_retry_after_seconds(http_server: HTTPTestServer) -> None:
    http_server.add("/busy", Route(status=503, headers={"Retry-After": "7"}, body="busy"))
    with pytest.raises(errors.HTTPStatusError) as info:
        fetch(http_server.url("/busy"))
    assert info.value.status == 503
    assert info.value.retry_after == 7.0
    assert info.value.retryable


def test_429_retry_after_as_http_date_uses_the_injected_clock(http_server: HTTPTestServer) -> None:
    now = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    when = format_datetime(now + timedelta(seconds=120), usegmt=True)
    http_server.add("/slow-down", Route(status=429, headers={"Retry-After": when}))

    async def run() -> None:
        async with Fetcher(settings(), clock=lambda: now) as fetcher:
            await fetcher.fetch(http_server.url("/slow-down"))

    with pytest.raises(errors.HTTPStatusError) as info:
        asyncio.run(run())
    assert info.value.status == 429
    assert info.value.retry_after == pytest.approx(120.0)


def test_parse_retry_after_forms() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("Tue, 01 Jan 2030 00:00:10 GMT", now) == pytest.approx(10.0)
    assert parse_retry_after("Mon, 01 Jan 2029 00:00:10 GMT", now) == 0.0


def test_pdf_is_refused_with_its_status_and_type(http_server: HTTPTestServer) -> None:
    http_server.add("/doc.pdf", Route(body=b"%PDF-1.4 ...", content_type="application/pdf"))
    with pytest.raises(errors.NotHTMLError) as info:
        fetch(http_server.url("/doc.pdf"))
    assert info.value.content_type == "application/pdf"
    assert info.value.status == 200
    # The same URL is fine when the caller accepts anything.
    assert fetch(http_server.url("/doc.pdf"), accept=ANY_TYPE).content_type == "application/pdf"


def test_missing_content_type_is_sniffed(http_server: HTTPTestServer) -> None:
    http_server.add("/bare", Route(body=PAGE, content_type=None))
    http_server.add("/bin", Route(body=b"\x00\x01\x02binary", content_type=None))
    assert fetch(http_server.url("/bare")).content_type == "text/html"
    with pytest.raises(errors.NotHTMLError):
        fetch(http_server.url("/bin"))


def test_gzip_bomb_stops_at_the_decoded_cap(http_server: HTTPTestServer) -> None:
    bomb = gzip_bomb(200 * 1024 * 1024)  # 200 MB of zeros in ~200 KB
    assert len(bomb) < 1024 * 1024
    http_server.add("/bomb", Route(body=bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(errors.TooLargeError) as info:
        fetch(http_server.url("/bomb"), settings(max_bytes=1024 * 1024))
    assert info.value.kind == "too-large"


def test_plain_body_over_the_cap_is_too_large(http_server: HTTPTestServer) -> None:
    http_server.add("/big", Route(body=b"x" * 300_000))
    with pytest.raises(errors.TooLargeError):
        fetch(http_server.url("/big"), settings(max_bytes=100_000))
    # exactly at the cap is fine
    http_server.add("/edge", Route(body=b"<" + b"x" * 99_999))
    assert len(fetch(http_server.url("/edge"), settings(max_bytes=100_000)).body) == 100_000


def test_gzip_body_just_over_cap_is_too_large(http_server: HTTPTestServer) -> None:
    http_server.add(
        "/gzbig",
        Route(body=gzip.compress(b"<" + b"a" * 100_000), headers={"Content-Encoding": "gzip"}),
    )
    with pytest.raises(errors.TooLargeError):
        fetch(http_server.url("/gzbig"), settings(max_bytes=100_000))
    assert len(fetch(http_server.url("/gzbig"), settings(max_bytes=100_001)).body) == 100_001


def test_slow_drip_server_hits_the_total_deadline(http_server: HTTPTestServer) -> None:
    # Each byte arrives well within the read timeout, but the whole body would take ~20 s.
    http_server.add("/drip", Route(body=PAGE * 4, drip=0.1, drip_size=1))
    with pytest.raises(errors.TimeoutError_) as info:
        fetch(http_server.url("/drip"), settings(read_timeout=2.0, deadline=1.0))
    assert info.value.kind == "timeout"


def test_silent_server_hits_the_read_timeout(http_server: HTTPTestServer) -> None:
    http_server.add("/silent", Route(body=PAGE, delay=1.5))
    with pytest.raises(errors.TimeoutError_):
        fetch(http_server.url("/silent"), settings(read_timeout=0.3, deadline=5.0))


def test_redirects_are_followed_and_recorded(http_server: HTTPTestServer) -> None:
    http_server.add("/old", Route(status=301, headers={"Location": "/mid?x=1"}))
    http_server.add("/mid?x=1", Route(status=302, headers={"Location": http_server.url("/new")}))
    http_server.add("/new", PAGE)
    result = fetch(http_server.url("/old"))
    assert result.final_url == http_server.url("/new")
    assert result.redirects == (http_server.url("/old"), http_server.url("/mid?x=1"))
    assert result.url == http_server.url("/old")


def test_redirect_to_a_known_page_is_not_followed(http_server: HTTPTestServer) -> None:
    http_server.add("/old", Route(status=301, headers={"Location": "/mid"}))
    http_server.add("/mid", Route(status=302, headers={"Location": "/new"}))
    http_server.add("/new", Route(body=PAGE))
    result = fetch(http_server.url("/old"), stop_at=lambda url: url.endswith("/new"))
    assert result.redirect_only and result.status == 302 and result.body == b""
    assert result.final_url == http_server.url("/new")
    assert result.redirects == (http_server.url("/old"), http_server.url("/mid"))
    assert http_server.paths() == ["/old", "/mid"]


def test_redirect_hop_carries_cookies_it_was_given(http_server: HTTPTestServer) -> None:
    http_server.add(
        "/consent",
        Route(status=302, headers={"Location": "/article", "Set-Cookie": "ok=1; Path=/"}),
    )
    http_server.add(
        "/article",
        lambda r: Route(body=PAGE) if "ok=1" in r.headers.get("cookie", "") else Route(status=403),
    )
    assert fetch(http_server.url("/consent")).status == 200


def test_too_many_redirects(http_server: HTTPTestServer) -> None:
    for i in range(10):
        http_server.add(f"/r{i}", Route(status=302, headers={"Location": f"/r{i + 1}"}))
    with pytest.raises(errors.TooManyRedirects):
        fetch(http_server.url("/r0"), settings(max_redirects=3))
    assert http_server.count("/r4") == 0


def test_redirect_loop_is_detected(http_server: HTTPTestServer) -> None:
    http_server.add("/a", Route(status=302, headers={"Location": "/b"}))
    http_server.add("/b", Route(status=302, headers={"Location": "/a"}))
    with pytest.raises(errors.TooManyRedirects):
        fetch(http_server.url("/a"), settings(max_redirects=20))


def test_redirect_to_a_private_address_is_refused(server_factory: object) -> None:
    public = server_factory()  # type: ignore[operator]
    private = server_factory()  # type: ignore[operator]
    private.add("/secret", "top secret")
    public.add("/go", Route(status=302, headers={"Location": private.url("/secret")}))
    # Only the first host is trusted as a seed host; the hop to the second is not.
    s = settings(allow_private_hosts=frozenset({public.host}))
    with pytest.raises(errors.BlockedAddressError) as info:
        fetch(public.url("/go"), s)
    assert info.value.url == private.url("/secret")
    assert private.count("/secret") == 0
    # Trusting both hosts lets the same chain through.
    s2 = settings(allow_private_hosts=frozenset({public.host, private.host}))
    assert fetch(public.url("/go"), s2).body == b"top secret"


def test_private_url_without_permission_is_refused_before_connecting(
    http_server: HTTPTestServer,
) -> None:
    http_server.add("/", PAGE)
    with pytest.raises(errors.BlockedAddressError):
        fetch(http_server.url("/"), settings(allow_private_hosts=frozenset()))
    assert http_server.count("/") == 0


def test_hostname_resolving_to_private_address_is_refused() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return {"intranet.test": ["10.1.2.3"], "mixed.test": ["93.184.216.34", "192.168.0.9"]}[host]

    async def run(url: str) -> None:
        async with Fetcher(settings(), resolver=resolver) as fetcher:
            await fetcher.fetch(url)

    for url in ("http://intranet.test/", "http://mixed.test/x"):
        with pytest.raises(errors.BlockedAddressError):
            asyncio.run(run(url))


def test_public_address_classification() -> None:
    assert is_public_address("93.184.216.34")
    assert is_public_address("2606:2800:220:1::1")
    for address in (
        "127.0.0.1",
        "10.0.0.1",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fc00::1",
        "0.0.0.0",
        "100.64.0.1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
        "not-an-ip",
    ):
        assert not is_public_address(address), address


def test_connection_refused_is_a_connect_error() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.2", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(errors.ConnectError) as info:
        fetch(f"http://127.0.0.2:{port}/")
    assert info.value.kind == "connect"


def test_unresolvable_host_is_a_connect_error() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(-2, "Name or service not known")

    async def run() -> None:
        async with Fetcher(settings(), resolver=resolver) as fetcher:
            await fetcher.fetch("http://no-such-host.invalid/")

    with pytest.raises(errors.ConnectError):
        asyncio.run(run())


@pytest.mark.parametrize("url", ["ftp://127.0.0.2/x", "file:///etc/passwd", "http:///nohost"])
def test_unfetchable_urls_are_invalid(url: str) -> None:
    with pytest.raises(errors.InvalidURLError):
        fetch(url)


def test_fetch_once_is_a_sync_convenience(http_server: HTTPTestServer) -> None:
    http_server.add("/once", PAGE)
    assert fetch_once(http_server.url("/once"), settings()).body == PAGE.encode()


# -- per-source scope, truncation, validators (issue 15) ---------------------------------


def test_a_scope_limits_private_addresses_and_redirect_hops(server_factory: ServerFactory) -> None:
    from scraper.fetched import FetchScope
    from scraper.urls import Scope

    home, other = server_factory(), server_factory()
    home.add("/away", Route(status=302, headers={"Location": other.url("/x")}))
    other.add("/x", PAGE)
    url = home.url("/away")
    # The other host's private address is not this source's to fetch.
    with pytest.raises(errors.BlockedAddressError):
        fetch(url, scope=FetchScope(frozenset({home.host})))
    # Allowed privately, but outside the scope: refused at the hop.
    with pytest.raises(errors.OutOfScopeError, match="outside the source's scope"):
        fetch(
            url,
            scope=FetchScope(
                frozenset({home.host, other.host}), Scope.of([home.host]).__contains__
            ),
        )
    assert other.count("/x") == 0
    ok = fetch(url, scope=FetchScope(frozenset({home.host, other.host})))
    assert ok.final_url == other.url("/x")


def test_truncate_at_cuts_a_long_body_instead_of_failing(http_server: HTTPTestServer) -> None:
    http_server.add("/long", Route(body=b"x" * 5000, content_type="text/plain"))
    small = settings(max_bytes=1000)
    with pytest.raises(errors.TooLargeError):
        fetch(http_server.url("/long"), small, accept=ANY_TYPE)
    result = fetch(http_server.url("/long"), small, accept=ANY_TYPE, truncate_at=100)
    assert result.truncated and result.body == b"x" * 100
    whole = fetch(http_server.url("/long"), accept=ANY_TYPE, truncate_at=10_000)
    assert not whole.truncated and len(whole.body) == 5000


def test_validators_go_back_byte_for_byte(http_server: HTTPTestServer) -> None:
    etag = '"caf\xe9"'  # one byte E9 on the wire

    def answer(request: Request) -> Route:
        if request.headers.get("if-none-match") == etag:
            return Route(status=304)
        return Route(body=PAGE, headers={"ETag": etag})

    http_server.add("/v", answer)
    first = fetch(http_server.url("/v"))
    assert first.etag == etag
    assert fetch(http_server.url("/v"), etag=first.etag).not_modified
    # A validator with a control character is not sent (the fetch is unconditional).
    assert not fetch(http_server.url("/v"), etag='"a\x01b"').not_modified
