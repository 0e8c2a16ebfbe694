"""The bounded Content-Encoding decoder: correct for every coding we offer, bounded per step."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable

import pytest

from scraper import errors
from scraper.decoding import ACCEPT_ENCODING, PIECE, BoundedDecoder, content_codings

TEXT = b"".join(b"line %d of a page that compresses well\n" % i for i in range(40_000))


def _decode(header: str | None, body: bytes, chunk: int = 1000) -> list[bytes]:
    decoder = BoundedDecoder(header, url="http://example.com/")
    return [p for i in range(0, len(body), chunk) for p in decoder.decode(body[i : i + chunk])]


@pytest.mark.parametrize(
    ("header", "encode"),
    [
        (None, lambda b: b),
        ("identity", lambda b: b),
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, no zlib header
        ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
        ("gzip, deflate", lambda b: zlib.compress(gzip.compress(b))),
        ("Deflate , GZIP", lambda b: gzip.compress(zlib.compress(b))),
    ],
)
def test_every_offered_coding_and_stack_decodes(
    header: str | None, encode: Callable[[bytes], bytes]
) -> None:
    pieces = _decode(header, encode(TEXT))
    assert b"".join(pieces) == TEXT
    assert max(len(p) for p in pieces) <= PIECE


def test_a_bomb_yields_small_pieces_one_at_a_time() -> None:
    bomb = gzip.compress(gzip.compress(b"\0" * (64 * PIECE)))
    pieces = BoundedDecoder("gzip, gzip").decode(bomb)  # one raw chunk holds it all
    first = next(pieces)
    assert 0 < len(first) <= PIECE
    assert sum(len(p) for p in pieces) + len(first) == 64 * PIECE


@pytest.mark.parametrize("header", ["zstd", "br", "gzip, zstd", "compress"])
def test_codings_we_do_not_offer_are_refused(header: str) -> None:
    with pytest.raises(errors.ContentEncodingError, match="not asked for"):
        BoundedDecoder(header, url="http://example.com/")


def test_too_many_layers_are_refused() -> None:
    with pytest.raises(errors.ContentEncodingError, match="stacked"):
        BoundedDecoder(", ".join(["gzip"] * 4))


def test_a_corrupt_body_is_a_protocol_error() -> None:
    with pytest.raises(errors.ProtocolError, match="broken compressed body"):
        _decode("gzip", b"\x1f\x8b\x08\x00garbage" * 10)


def test_accept_encoding_is_what_we_decode() -> None:
    assert content_codings(ACCEPT_ENCODING) == ["gzip", "deflate"]
