"""Small multilingual phrase lists, kept as data.

Structure and repetition do most of the cleaning; these lists only name the labels that
sites print as text (an "Advertisement" label, a "Read more:" promo lead-in). Keep them
short and lower-case; they are matched against whole normalised lines or line prefixes.
"""

from __future__ import annotations

#: A line that is exactly one of these (ignoring case, punctuation, surrounding space) is a label.
LABEL_LINES: frozenset[str] = frozenset(
    {
        # advertising
        "advertisement", "advertisements", "advertising", "sponsored", "sponsored content",
        "anzeige", "werbung", "publicité", "publicidad", "pubblicità", "publicidade",
        "reclame", "advertentie", "reklama", "annons", "annonce", "mainos", "ad",
        # byline leftovers
        "new update", "updated", "author image", "author-image", "author avatar",
        "listen to this article", "listen to article", "listen", "artikel anhören",
        "play", "print", "drucken", "imprimer", "comments", "kommentare",
        # sharing and following
        "share", "share this", "share this article", "share on x", "share on twitter",
        "share on facebook", "share on linkedin", "share on whatsapp", "share via email",
        "copy link", "link copied", "email", "teilen", "artikel teilen", "partager",
        "compartir", "condividi", "delen", "tweet", "follow us", "folgen sie uns",
        # newsletters and subscriptions
        "subscribe", "subscribe now", "sign up", "newsletter", "abonnieren", "s'abonner",
        "suscríbete", "iscriviti",
        # lists of other stories
        "latest stories", "latest news", "trending now", "trending", "most read", "most popular",
        "popular stories", "top stories", "related", "related stories", "related articles",
        "related posts", "related news", "recommended", "recommended stories", "you may also like",
        "you might also like", "more stories", "more from", "more on this story",
        "read more", "read next", "up next", "weitere artikel", "das könnte sie auch interessieren",
        "meistgelesen", "mehr zum thema", "lesen sie auch", "auch interessant", "à lire aussi",
        "lire aussi", "sur le même sujet", "leer más", "te puede interesar", "leggi anche",
        "explore more topics", "more topics", "topics", "tags", "themen", "schlagwörter",
        "étiquettes", "etiquetas", "filed under",
        # misc
        "skip to content", "skip advertisement", "back to top", "zurück nach oben",
        "loading", "loading...", "click to expand", "view comments", "show comments",
    }
)

#: A line that starts with one of these (followed by ':' or '|' or '»' etc.) is a promo or tag list.
PROMO_PREFIXES: tuple[str, ...] = (
    "also read", "read also", "read more", "read next", "see also", "related", "more",
    "must read", "don't miss", "dont miss", "watch", "recommended", "trending",
    "tags", "topics", "filed under", "explore more topics", "more topics", "categories",
    "lesen sie auch", "lesen sie mehr", "mehr zum thema", "auch interessant", "siehe auch",
    "schlagwörter", "themen", "lire aussi", "à lire aussi", "voir aussi", "leer más",
    "lea también", "te puede interesar", "leggi anche", "vedi anche", "lees ook", "zie ook",
    "subscribe", "sign up", "newsletter", "advertisement",
)

#: Lead-ins of image captions and credits.
CREDIT_PREFIXES: tuple[str, ...] = (
    "photo", "photos", "image", "images", "image credit", "image source", "picture", "pic",
    "credit", "credits", "photo credit", "source", "illustration", "graphic", "video",
    "foto", "fotos", "bild", "bildquelle", "quelle", "grafik", "crédit", "crédits",
    "crédito", "créditos", "imagen", "immagine",
)

#: Words inside a parenthesised credit: "(Image via X)", "(Photo: X)", "(Getty Images)".
CREDIT_WORDS: tuple[str, ...] = (
    "image", "photo", "picture", "pic", "credit", "via", "foto", "bild", "getty", "reuters",
    "afp", "ap photo", "shutterstock", "istock", "dpa", "imago", "source", "quelle",
    "illustration", "courtesy", "file photo", "screenshot", "screengrab",
)

#: Bits of an author field that are not a person: leading "By", trailing roles and boilerplate.
AUTHOR_PREFIXES: tuple[str, ...] = (
    "by", "von", "par", "por", "di", "door", "av", "af", "written by", "posted by",
    "geschrieben von", "autor", "autorin", "author", "authors", "auteur", "redacción",
    "reporter", "text", "texte", "from",
)

#: An author field containing one of these words is not a person's name.
NOT_PERSON_WORDS: frozenset[str] = frozenset(
    {
        "email", "e-mail", "mail", "follow", "twitter", "facebook", "instagram", "linkedin",
        "contact", "share", "photo", "photos", "image", "images", "credit", "getty",
        "reuters", "afp", "dpa", "apa", "sid", "kna", "epd", "associated", "press", "agency",
        "agencies", "agentur", "agenturen", "staff", "redaktion", "editorial", "editors",
        "newsroom", "desk", "news", "team", "admin", "administrator", "webmaster", "wire",
        "service", "services", "media", "online", "magazine", "journal", "times", "post",
        "daily", "weekly", "tribune", "gazette", "herald", "zeitung", "www", "http", "https",
        "com", "updated", "published", "read", "more", "view", "profile", "posts", "all",
        "articles", "bio", "about", "the", "and", "guest", "anonymous", "unknown", "user",
        "redacción", "rédaction", "redazione", "redactie", "min", "minutes", "ago",
    }
)

#: Short words that may appear inside a person's name in lower case.
NAME_PARTICLES: frozenset[str] = frozenset(
    {"von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "zu",
     "ten", "ter", "bin", "al", "el", "dos", "das", "y", "e", "st.", "mc"}
)

#: Role words that end an author field ("Jane Doe, Senior Reporter").
ROLE_WORDS: frozenset[str] = frozenset(
    {"reporter", "correspondent", "editor", "writer", "journalist", "columnist", "contributor",
     "redakteur", "redakteurin", "korrespondent", "korrespondentin", "autor", "autorin",
     "senior", "staff", "chief", "producer", "analyst", "photographer", "intern",
     "rédacteur", "journaliste", "periodista", "redattore", "giornalista"}
)

#: Separators between a headline and the site name in ``<title>``.
TITLE_SEPARATORS: tuple[str, ...] = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " // ", " / ", ": ")

#: Calls to action: a short line matching one of these asks the reader to do something
#: (subscribe, share, follow, download) and is not article text.
CALL_TO_ACTION: tuple[str, ...] = (
    r"\b(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|inbox|updates|e-?mails?)\b",
    r"\bnewsletters?\b.{0,80}\b(?:sign up|subscribe|inbox|delivered)\b",
    r"\b(?:share|teilen|partagez)\b.{0,30}\b(?:friends?|freunde|amis)\b",
    r"\blike this (?:story|article)\b",
    r"\bfollow (?:us|him|her|them|me)\b.{0,20}\bon\b",
    r"\b(?:click|tap) here\b",
    r"\bdownload (?:the|our)\b.{0,30}\bapp\b",
    r"\bget the\b.{0,30}\bapp\b",
    r"\bnewsletter (?:abonnieren|bestellen)\b",
    r"\bjetzt\b.{0,30}\babonnieren\b",
    r"\babonnez-vous\b",
    r"\b(?:write to|contact|reach) (?:him|her|them|the (?:author|writer|reporter))?\b.{0,60}@\w",
    r"\bmay be reached at\b",
)
