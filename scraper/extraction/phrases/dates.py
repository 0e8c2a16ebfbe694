"""Words of dates, by language: month names, publication and update labels, and time zones
by abbreviation or name (:mod:`scraper.extraction.dates`)."""

from __future__ import annotations

from datetime import timedelta


def _numbered(names: str) -> dict[str, int]:
    """Twelve month names ("|"-separated, January first) as a name -> number table."""
    return {name: number for number, name in enumerate(names.split("|"), 1)}


#: Month names of Italian, Portuguese, Dutch, Russian, Polish, Turkish and Arabic, as printed in a day ("12 luglio 2020", "12 de julho de
#: 2020", "12 июля 2020", "12 Temmuz 2020", "24 نيسان / أبريل 2020"); lower case. Russian
#: and Polish in the genitive, the form a day takes.
_MONTHS_MORE: dict[str, int] = {
    **_numbered(
        "gennaio|febbraio|marzo|aprile|maggio|giugno|"
        "luglio|agosto|settembre|ottobre|novembre|dicembre"
    ),
    **_numbered(
        "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro"
    ),
    **_numbered(
        "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    ),
    **_numbered(
        "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
    ),
    **_numbered(
        "stycznia|lutego|marca|kwietnia|maja|czerwca|"
        "lipca|sierpnia|września|października|listopada|grudnia"
    ),
    **_numbered("ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık"),
    **_numbered("يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"),
    **_numbered(
        "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|"
        "تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول"
    ),
    "إبريل": 4,
    "ابريل": 4,
    "اغسطس": 8,
    "اكتوبر": 10,
}

#: Month names → number: German, English, French, Spanish (full and common abbreviations)
#: and the languages above. The one month table; every date parser reads it.
MONTHS: dict[str, int] = {
    **{
        m: i
        for i, m in enumerate(
            (
                "januar",
                "februar",
                "märz",
                "april",
                "mai",
                "juni",
                "juli",
                "august",
                "september",
                "oktober",
                "november",
                "dezember",
            ),
            1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            (
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ),
            1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            (
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ),
            1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            (
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ),
            1,
        )
    },
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "mär": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "okt": 10,
    "nov": 11,
    "dec": 12,
    "dez": 12,
    "jänner": 1,
    **_MONTHS_MORE,
}

#: Words that label the publication date printed on a page ("Erschienen am: 21.06.2017").
PUBLISHED_LABELS: tuple[str, ...] = (
    "erschienen am",
    "veröffentlicht am",
    "veröffentlicht",
    "publiziert am",
    "published on",
    "published",
    "publié le",
    "publicado el",
    "posted on",
)

#: Words that label the date of a page's last change, not its publication ("Updated",
#: "Akt.: 29. Juni 2025", "mis à jour le").
UPDATED_LABELS: tuple[str, ...] = (
    "updated",
    "last updated",
    "last modified",
    "aktualisiert",
    "zuletzt aktualisiert",
    "akt.",
    "geändert",
    "mis à jour",
    "actualizado",
    "actualización",
    "aggiornato",
    "bijgewerkt",
)

#: Time zones printed after a clock time ("11:47 AM EST", "14:30 Uhr MESZ"): a fixed
#: offset, or the IANA zone of a name whose offset depends on the day ("ET", "Pacific
#: Time"). Only abbreviations with one common meaning in news (not IST, not CST for China).
TIME_ZONES: dict[str, timedelta | str] = {
    "UTC": timedelta(0),
    "GMT": timedelta(0),
    "UT": timedelta(0),
    "WET": timedelta(0),
    "WEST": timedelta(hours=1),
    "BST": timedelta(hours=1),
    "CET": timedelta(hours=1),
    "CEST": timedelta(hours=2),
    "MEZ": timedelta(hours=1),
    "MESZ": timedelta(hours=2),
    "EET": timedelta(hours=2),
    "EEST": timedelta(hours=3),
    "MSK": timedelta(hours=3),
    "JST": timedelta(hours=9),
    "KST": timedelta(hours=9),
    "HKT": timedelta(hours=8),
    "SGT": timedelta(hours=8),
    "AWST": timedelta(hours=8),
    "ACST": timedelta(hours=9, minutes=30),
    "AEST": timedelta(hours=10),
    "AEDT": timedelta(hours=11),
    "NZST": timedelta(hours=12),
    "NZDT": timedelta(hours=13),
    "EST": timedelta(hours=-5),
    "EDT": timedelta(hours=-4),
    "CST": timedelta(hours=-6),
    "CDT": timedelta(hours=-5),
    "MST": timedelta(hours=-7),
    "MDT": timedelta(hours=-6),
    "PST": timedelta(hours=-8),
    "PDT": timedelta(hours=-7),
    "AKST": timedelta(hours=-9),
    "AKDT": timedelta(hours=-8),
    "HST": timedelta(hours=-10),
    "ET": "America/New_York",
    "Eastern Time": "America/New_York",
    "CT": "America/Chicago",
    "Central Time": "America/Chicago",
    "MT": "America/Denver",
    "Mountain Time": "America/Denver",
    "PT": "America/Los_Angeles",
    "Pacific Time": "America/Los_Angeles",
    "UK time": "Europe/London",
    "Paris time": "Europe/Paris",
    "heure de Paris": "Europe/Paris",
    "deutscher Zeit": "Europe/Berlin",
}

#: The zones of the United States, where a numeric date is written month first: beside
#: one, "05/03/2024 10:00 AM EDT" is the 3rd of May (elsewhere its order is not known).
MONTH_FIRST_ZONES: frozenset[str] = frozenset(
    {
        *("EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST"),
        *("ET", "CT", "MT", "PT", "Eastern Time", "Central Time", "Mountain Time"),
        "Pacific Time",
    }
)
