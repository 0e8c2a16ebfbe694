"""Small multilingual phrase lists, kept as data, one module per kind.

Structure and repetition do most of the cleaning; these lists only name what sites print
as text: a label ("Advertisement", "Read more:"), a notice or a credit in the story, the
words of a byline and of a date. Keep them short and lower-case; they are matched against
whole normalised lines, line prefixes or words.
"""

from scraper.extraction.phrases.bylines import (
    AUTHOR_PATHS,
    AUTHOR_PREFIXES,
    BYLINE_LABELS,
    BYLINE_NOUN_LABELS,
    CJK_BYLINE_LABELS,
    CJK_ROLE_SUFFIXES,
    DATE_LEAD_WORDS,
    NOT_AUTHOR_ROLES,
    NOT_BYLINE_OPENINGS,
    TAG_PATHS,
)
from scraper.extraction.phrases.dates import (
    MONTH_FIRST_ZONES,
    MONTHS,
    PUBLISHED_LABELS,
    TIME_ZONES,
    UPDATED_LABELS,
)
from scraper.extraction.phrases.headlines import (
    TITLE_SEPARATORS,
)
from scraper.extraction.phrases.labels import (
    CALL_TO_ACTION,
    LABEL_LINES,
    PROMO_PREFIXES,
    READ_ALSO,
)
from scraper.extraction.phrases.names import (
    ARTICLES,
    CREDENTIALS,
    FULL_NAME_JOINERS,
    MORE_NAME_JOINERS,
    NAME_PARTICLES,
    PLACE_ARTICLES,
    PLACE_LEADS,
    PUBLICATION_LEADS,
    ROLE_WORDS,
)
from scraper.extraction.phrases.not_people import (
    ACCOUNT_WORDS,
    CJK_NOT_PERSON_WORDS,
    CJK_ORGANISATION_ENDINGS,
    NEWS_AGENCIES,
    NEWSROOM_WORDS,
    NOT_PERSON_WORDS,
    ORGANISATION_MARKERS,
)
from scraper.extraction.phrases.notices import (
    CONSENT_PLACEHOLDERS,
    CREDIT_PREFIXES,
    CREDIT_WORDS,
    LEGAL_NOTICES,
    MINUTE_WORDS,
    PAYWALL_NOTICES,
    READING_TIME_LABELS,
    READING_TIME_TAILS,
    RECAPTCHA_NOTICES,
    TRANSLATION_CREDITS,
    VIEW_COUNT_WORDS,
)

__all__ = [
    "ACCOUNT_WORDS",
    "ARTICLES",
    "AUTHOR_PATHS",
    "AUTHOR_PREFIXES",
    "BYLINE_LABELS",
    "BYLINE_NOUN_LABELS",
    "CALL_TO_ACTION",
    "CJK_BYLINE_LABELS",
    "CJK_NOT_PERSON_WORDS",
    "CJK_ORGANISATION_ENDINGS",
    "CJK_ROLE_SUFFIXES",
    "CONSENT_PLACEHOLDERS",
    "CREDENTIALS",
    "CREDIT_PREFIXES",
    "CREDIT_WORDS",
    "DATE_LEAD_WORDS",
    "FULL_NAME_JOINERS",
    "LABEL_LINES",
    "LEGAL_NOTICES",
    "MINUTE_WORDS",
    "MONTHS",
    "MONTH_FIRST_ZONES",
    "MORE_NAME_JOINERS",
    "NAME_PARTICLES",
    "NEWSROOM_WORDS",
    "NEWS_AGENCIES",
    "NOT_AUTHOR_ROLES",
    "NOT_BYLINE_OPENINGS",
    "NOT_PERSON_WORDS",
    "ORGANISATION_MARKERS",
    "PAYWALL_NOTICES",
    "PLACE_ARTICLES",
    "PLACE_LEADS",
    "PROMO_PREFIXES",
    "PUBLICATION_LEADS",
    "PUBLISHED_LABELS",
    "READING_TIME_LABELS",
    "READING_TIME_TAILS",
    "READ_ALSO",
    "RECAPTCHA_NOTICES",
    "ROLE_WORDS",
    "TAG_PATHS",
    "TIME_ZONES",
    "TITLE_SEPARATORS",
    "TRANSLATION_CREDITS",
    "UPDATED_LABELS",
    "VIEW_COUNT_WORDS",
]
