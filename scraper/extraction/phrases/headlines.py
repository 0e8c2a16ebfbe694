"""What separates a page title's parts: the headline from the site's name
(:mod:`scraper.extraction.headline_title`)."""

from __future__ import annotations

#: Separators between a headline and the site name in ``<title>``.
TITLE_SEPARATORS: tuple[str, ...] = (
    " | ",
    " - ",
    " – ",
    " — ",
    " :: ",
    " · ",
    " • ",
    " » ",
    " // ",
    " / ",
    ": ",
)
