"""Compression bombs: every stacked or unasked-for Content-Encoding stays within the body cap.

The decoded-size cap is enforced while inflating, so a body that inflates to 50x the cap
keeps the process within about twice the cap above a failed fetch's baseline. An encoding
we do not advertise (zstd, br) is refused with one clear error, whatever is installed.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest
import zstandard

from scraper.fetched import FetchSettings
from tests.httpserver import HTTPTestServer, Route, gzip_bomb
from tests.reliability.conftest import ServerFactory
from tests.reliability.harness import MIB, Run, integrity_ok, run_cli, sqlite_url
from tests.reliability.site import ROBOTS_ALLOW_ALL, crawl_config, serve_articles, serve_feed

CAP = FetchSettings().max_bytes  # what `storyline fetch` uses
BOMB = 50 * CAP


@pytest.fixture(scope="session")
def gzipped_bomb() -> bytes:
    """Gzip of BOMB zero bytes (about 500 KiB for a 10 MiB cap)."""
    return gzip_bomb(BOMB)


def _zstd_bomb(size: int) -> bytes:
    compressor = zstandard.ZstdCompressor(level=19).compressobj()
    block = b"\0" * MIB
    parts = [compressor.compress(block) for _ in range(size // MIB)]
    return b"".join([*parts, compressor.flush()])


def _bomb_routes(inner: bytes, size: int) -> dict[str, Route]:
    """Routes for the bombs; ``inner`` is the single-gzip bomb of ``size`` bytes."""
    headers = {"Content-Type": "text/html"}
    return {
        "/gzip": Route(
            body=inner, content_type=None, headers={**headers, "Content-Encoding": "gzip"}
        ),
        "/gzip-gzip": Route(
            body=gzip.compress(inner, compresslevel=9),
            content_type=None,
            headers={**headers, "Content-Encoding": "gzip, gzip"},
        ),
        # "gzip, deflate": gzip applied first, then deflate.
        "/gzip-deflate": Route(
            body=zlib.compress(inner, 9),
            content_type=None,
            headers={**headers, "Content-Encoding": "gzip, deflate"},
        ),
        "/zstd": Route(
            body=_zstd_bomb(size),
            content_type=None,
            headers={**headers, "Content-Encoding": "zstd"},
        ),
    }


@pytest.fixture
def bomb_server(hostile_server: ServerFactory, gzipped_bomb: bytes) -> HTTPTestServer:
    server = hostile_server()
    server.add_many(_bomb_routes(gzipped_bomb, BOMB))
    return server


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/gzip", "cap"),
        ("/gzip-gzip", "cap"),
        ("/gzip-deflate", "cap"),
        ("/zstd", "zstd"),
    ],
)
def test_fetch_of_a_bomb_stays_within_twice_the_cap(
    bomb_server: HTTPTestServer, baseline_fetch_run: Run, tmp_path: Path, path: str, says: str
) -> None:
    run = run_cli(
        ["--db", sqlite_url(tmp_path / "a.db"), "fetch", bomb_server.url(path)], timeout=120
    )
    grown = run.peak_rss - baseline_fetch_run.peak_rss
    print(
        f"{path}: peak RSS {run.peak_rss / MIB:.0f} MiB, {grown / MIB:+.0f} MiB over the baseline"
    )
    run.assert_clean(exit_code=1, within=60)
    assert says in run.stderr
    assert grown < 2 * CAP, f"{path}: {grown / MIB:.0f} MiB over the baseline"


def test_accept_encoding_names_only_what_we_bound(
    bomb_server: HTTPTestServer, tmp_path: Path
) -> None:
    bomb_server.add("/plain", "<html><body><p>plain</p></body></html>")
    run_cli(["--db", sqlite_url(tmp_path / "a.db"), "fetch", bomb_server.url("/plain")])
    (request,) = bomb_server.requests("/plain")
    offered = {e.strip() for e in request.headers["accept-encoding"].split(",")}
    assert offered == {"gzip", "deflate"}


CRAWL_CAP = 2 * MIB


def test_crawl_of_a_feed_with_bombs_archives_the_rest(
    hostile_server: ServerFactory, tmp_path: Path, baseline_fetch_run: Run
) -> None:
    site = hostile_server()
    inner = gzip_bomb(50 * CRAWL_CAP)
    site.add_many(_bomb_routes(inner, 50 * CRAWL_CAP))
    good = [f"/news/story-{i}" for i in range(3)]
    bombs = ["/gzip-gzip", "/gzip-deflate", "/zstd"]
    feed = serve_feed(site, [*bombs, *good])
    site.add("/robots.txt", Route(body=ROBOTS_ALLOW_ALL, content_type="text/plain"))
    serve_articles(site, good)
    config = crawl_config(
        tmp_path / "sources.toml",
        f'[[source]]\nname = "bombs"\nfeeds = ["{feed}"]',
        max_bytes=CRAWL_CAP,
    )
    db = tmp_path / "archive.db"
    run = run_cli(["--db", sqlite_url(db), "crawl", "--json", "--config", str(config)], timeout=180)
    print(f"crawl: peak RSS {run.peak_rss / MIB:.0f} MiB, tree {run.peak_tree_rss / MIB:.0f} MiB")
    run.assert_clean(exit_code=0, within=120)
    summary = json.loads(run.stdout)
    assert summary["new_articles"] == 3, summary
    assert summary["failed"] == {"too-large": 2, "content-encoding": 1}, summary
    assert integrity_ok(db)
    # A crawl weighs more than a failed fetch without any bomb (the pool, the frontier):
    # 64 MiB of that, on top of twice the cap. Unbounded, the bombs took ~1.5 GiB.
    assert run.peak_rss - baseline_fetch_run.peak_rss < 2 * CRAWL_CAP + 64 * MIB
