"""Content-Encoding, decoded through one bounded streaming decoder.

A compression bomb is a small body that inflates to gigabytes; stacked encodings
(``gzip, gzip``) multiply the ratio. Every layer here inflates at most :data:`PIECE` bytes
per step and hands them on at once, and the caller counts decoded bytes as they come, so
the cap on a body is enforced *while* inflating: memory stays within the cap plus a few
pieces whatever the ratio. We decode exactly what :data:`ACCEPT_ENCODING` offers; a body
in any other encoding (``br``, ``zstd``, …) is refused, never handed to a decoder we
cannot bound.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from scraper import errors

#: The encodings we can decode within a bound, and so the only ones we ask for.
SUPPORTED: tuple[str, ...] = ("gzip", "deflate")
ACCEPT_ENCODING = ", ".join(SUPPORTED)
#: Most layers one body may stack (``gzip, gzip`` is 2); more is refused, not decoded.
MAX_LAYERS = 3
#: Bytes one layer inflates per step.
PIECE = 64 * 1024

_ALIASES = {"x-gzip": "gzip"}


def content_codings(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header in the order they were applied."""
    names = [c.strip().lower() for c in (header or "").split(",")]
    return [_ALIASES.get(n, n) for n in names if n and n != "identity"]


class _Layer:
    """One gzip or deflate layer; raw deflate (no zlib header) is accepted for ``deflate``."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        wbits = 16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)
        self._started = False

    def steps(self, data: bytes) -> Iterator[bytes]:
        """Inflate ``data``, yielding at most :data:`PIECE` bytes at a time."""
        while True:
            out = self._inflate(data)
            data = self._obj.unconsumed_tail
            if out:
                yield out
            # A full piece may leave output pending inside zlib even with no input left.
            if not data and len(out) < PIECE:
                return

    def _inflate(self, data: bytes) -> bytes:
        if self._obj.eof:
            return b""  # trailing bytes after the stream's end are ignored, as browsers do
        if self._started or self.coding != "deflate":
            self._started = True
            return self._obj.decompress(data, PIECE)
        self._started = True
        try:
            return self._obj.decompress(data, PIECE)
        except zlib.error:
            # Some servers send raw deflate without the zlib header.
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._obj.decompress(data, PIECE)


class BoundedDecoder:
    """Decodes a body stream through its Content-Encoding layers, piece by piece.

    ``decode(raw)`` yields decoded pieces of at most :data:`PIECE` bytes; a consumer that
    stops iterating stops the inflating. Errors are :class:`scraper.errors.FetchError`.
    """

    def __init__(self, content_encoding: str | None, *, url: str | None = None) -> None:
        codings = content_codings(content_encoding)
        unknown = [c for c in codings if c not in SUPPORTED]
        if unknown:
            raise errors.ContentEncodingError(
                f"Content-Encoding {', '.join(unknown)} was not asked for "
                f"(we accept {ACCEPT_ENCODING})",
                url=url,
            )
        if len(codings) > MAX_LAYERS:
            raise errors.ContentEncodingError(
                f"{len(codings)} stacked content codings (at most {MAX_LAYERS})", url=url
            )
        self.url = url
        # The last coding applied is the first to undo.
        self._layers = [_Layer(c) for c in reversed(codings)]

    def decode(self, raw: bytes) -> Iterator[bytes]:
        """Decode the next raw bytes of the body."""
        try:
            yield from self._through(0, raw)
        except zlib.error as exc:
            raise errors.ProtocolError(f"broken compressed body: {exc}", url=self.url) from exc

    def _through(self, level: int, data: bytes) -> Iterator[bytes]:
        if level == len(self._layers):
            if data:
                yield data
            return
        for piece in self._layers[level].steps(data):
            yield from self._through(level + 1, piece)
