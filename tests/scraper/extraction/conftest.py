"""Fixtures for extraction tests: small self-written pages under tests/fixtures/extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.extraction import Extraction, extract

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "extraction"


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def messy() -> Extraction:
    return extract(page("messy_article.html"), "https://harbor.example/city/riverside-park-plan")
