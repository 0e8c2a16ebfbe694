"""Unit rules: author names, date parsing, charset decoding."""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from scraper.extraction.authors import clean_authors
from scraper.extraction.dates import date_from_url, parse_datetime
from scraper.extraction.encoding import decode_html


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["By Jane Doe and John Roe"], ("Jane Doe", "John Roe")),
        (["Von Anna Schmidt und Jonas Weber"], ("Anna Schmidt", "Jonas Weber")),
        (["Jane Doe, Senior Reporter"], ("Jane Doe",)),
        (["Email the author"], ()),
        (["www.facebook.com/someone"], ()),
        (["Photo: Getty Images"], ()),
        (["jane doe", "Jane Doe"], ("jane doe",)),
        (["JOHN ROE"], ("John Roe",)),
        # a name in capitals as it is written: two letters are a name or initials
        (["JO EKBERG and TJ ROE"], ("Jo Ekberg", "TJ Roe")),
        (["MARY O'NEILL, JEAN-LUC ROE III"], ("Mary O'Neill", "Jean-Luc Roe III")),
        (["c1ph4"], ("c1ph4",)),
        (["12.03.2020"], ()),
        (["Harbor Gazette"], ()),
        (["Maria Lopez says:"], ()),
        (["Jane Doe, janedoe.net"], ("Jane Doe",)),  # her address is no second name
        (["Jane Doe", "van der"], ("Jane Doe",)),  # name particles alone are no name
        (["Jane Doe", "J"], ("Jane Doe",)),  # one letter is no name
    ],
)
def test_clean_authors(values: list[str], expected: tuple[str, ...]) -> None:
    assert clean_authors(values, not_names=["Harbor Gazette"]) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2023-10-17T16:48:00+05:30",
            datetime(2023, 10, 17, 16, 48, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("2018-05-17", date(2018, 5, 17)),
        ("2021-02-03T06:05:00Z", datetime(2021, 2, 3, 6, 5, tzinfo=UTC)),
        ("2021-02-03 06:05:00", datetime(2021, 2, 3, 6, 5)),  # no zone: naive, never UTC
        (
            "2019-11-19 10:02 EST",
            datetime(2019, 11, 19, 10, 2, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("Tue, 19 Nov 2019 10:02:00 -0000", datetime(2019, 11, 19, 10, 2)),  # RFC: zone unknown
        (
            "Sat, 19 Oct 2019 00:04:00 +0200",
            datetime(2019, 10, 19, 0, 4, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("Do., 09.06.2016 - 08:15", date(2016, 6, 9)),
    ],
)
def test_parse_datetime_keeps_what_the_value_states(value: str, expected: date) -> None:
    parsed = parse_datetime(value)
    assert parsed == expected and type(parsed) is type(expected)
    if isinstance(expected, datetime):
        assert parsed.utcoffset() == expected.utcoffset()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "value",
    # no 30 or 31 February, written either way
    ["", "yesterday", "2019-13-45", "not a date at all", "2019-02-30", "31.02.2016"],
)
def test_parse_datetime_rejects(value: str) -> None:
    assert parse_datetime(value) is None


def test_a_long_text_is_no_machine_readable_date() -> None:
    # a value this long is prose that mentions a day, not a stated date
    value = "Updated on 2021-05-04 after the ferry to the outer islands was delayed by fog again"
    assert len(value) > 80
    assert parse_datetime(value) is None


def test_an_impossible_clock_time_keeps_only_the_day() -> None:
    parsed = parse_datetime("2021-05-04T24:00:00+02:00")
    assert parsed == date(2021, 5, 4) and type(parsed) is date


def test_an_impossible_offset_is_no_zone() -> None:
    # "+18:00" is beyond any UTC offset: the time is known, its zone is not
    parsed = parse_datetime("2021-05-04T08:30:00+18:00")
    assert parsed == datetime(2021, 5, 4, 8, 30)
    assert isinstance(parsed, datetime) and parsed.tzinfo is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/2018/05/17/title/", date(2018, 5, 17)),
        ("https://a.example/news/2017-03-09-title", date(2017, 3, 9)),
        ("https://a.example/story-20200124.html", date(2020, 1, 24)),
        ("https://a.example/2018/5/7/title", date(2018, 5, 7)),
        ("https://a.example/2019/99/99/title", None),
        # an impossible day in the path is skipped, a later one read
        ("https://a.example/2019/02/30/title-20190301", date(2019, 3, 1)),
        ("https://a.example/about", None),
    ],
)
def test_date_from_url(url: str, expected: date | None) -> None:
    assert date_from_url(url) == expected


def test_decode_bom_wins_over_meta() -> None:
    data = codecs.BOM_UTF8 + '<meta charset="iso-8859-1"><p>café</p>'.encode()
    assert "café" in decode_html(data)


def test_decode_misdeclared_utf8() -> None:
    data = '<meta charset="utf-8"><p>Straße café</p>'.encode("cp1252")
    assert "Straße café" in decode_html(data)


def test_decode_header_charset() -> None:
    data = "<p>Привет мир, это текст</p>".encode("koi8-r")
    assert "Привет" in decode_html(data, declared="koi8-r")


def test_decode_valid_utf8_wins_over_a_latin1_label() -> None:
    """A page converted to UTF-8 that still declares Latin-1 reads as UTF-8, not "fÃ¼r"."""
    data = '<meta charset="iso-8859-1"><p>Grüße für Straße</p>'.encode()
    assert "Grüße für Straße" in decode_html(data)
    assert "Grüße für Straße" in decode_html(data, declared="iso-8859-1")


def test_decode_latin1_that_is_not_utf8_keeps_its_label() -> None:
    data = '<meta charset="iso-8859-1"><p>Grüße für Straße</p>'.encode("latin-1")
    assert "Grüße für Straße" in decode_html(data)


def test_decode_unknown_header_charset_is_passed_over() -> None:
    data = '<meta charset="iso-8859-1"><p>Grüße für Straße</p>'.encode("latin-1")
    assert "Grüße für Straße" in decode_html(data, declared="x-no-such-charset")


@pytest.mark.parametrize("declared", [None, "utf-16", "UTF-16LE"])
def test_decode_a_byte_page_claiming_utf16_is_not_read_as_utf16(declared: str | None) -> None:
    # without a BOM the page's own ASCII markup shows it is no UTF-16 (the HTML spec reads
    # such a label as UTF-8); as UTF-16 it would decode into rows of CJK characters
    data = b'<meta charset="utf-16"><p>Ferry</p> '
    assert len(data) % 2 == 0  # UTF-16 would decode it without an error
    assert decode_html(data, declared=declared) == data.decode("ascii")
