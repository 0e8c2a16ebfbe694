"""Small multilingual phrase lists, kept as data.

Structure and repetition do most of the cleaning; these lists only name the labels that
sites print as text (an "Advertisement" label, a "Read more:" promo lead-in). Keep them
short and lower-case; they are matched against whole normalised lines or line prefixes.
"""

from __future__ import annotations

from datetime import timedelta

#: "Read also" lead-ins in several languages: a whole line of one is a label, and one
#: followed by ":" or "|" opens a promo line.
READ_ALSO: tuple[str, ...] = (
    "lesen sie auch",
    "mehr zum thema",
    "auch interessant",
    "à lire aussi",
    "lire aussi",
    "leer más",
    "te puede interesar",
    "leggi anche",
    "read also",
    "also read",
    "see also",
    "further reading",
    "leia também",
    "leia mais",
    "veja também",
    "lees ook",
    "zie ook",
    "läs också",
    "læs også",
    "les også",
    "lue myös",
    "czytaj także",
    "czytaj też",
    "přečtěte si také",
    "čtěte také",
    "citește și",
    "читайте также",
)

#: A line that is exactly one of these (ignoring case, punctuation, surrounding space) is a label.
LABEL_LINES: frozenset[str] = frozenset(
    {
        "don't miss",
        "dont miss",
        "see more",
        # advertising
        "advertisement",
        "advertisements",
        "advertising",
        "sponsored",
        "sponsored content",
        "anzeige",
        "werbung",
        "publicité",
        "publicidad",
        "pubblicità",
        "publicidade",
        "reclame",
        "advertentie",
        "reklama",
        "annons",
        "annonce",
        "mainos",
        "ad",
        # byline leftovers
        "updated",
        "author avatar",
        "listen to this article",
        "listen to article",
        "listen",
        "artikel anhören",
        "play",
        "print",
        "drucken",
        "imprimer",
        "comments",
        "kommentare",
        # article tools
        "print article",
        "print this article",
        "printer friendly",
        "printer friendly version",
        "email article",
        "email this article",
        "send to a friend",
        "refer to a friend",
        "artikel drucken",
        "druckversion",
        "imprimer l article",
        "imprimir",
        "order reprints",
        "reprints",
        "reprint rights",
        "read in app",
        "open in app",
        "in der app lesen",
        # sharing and following
        "share",
        "share this",
        "share this article",
        "share on x",
        "share on twitter",
        "share on facebook",
        "share on linkedin",
        "share on whatsapp",
        "share via email",
        "copy link",
        "link copied",
        "email",
        "teilen",
        "artikel teilen",
        "partager",
        "compartir",
        "condividi",
        "delen",
        "tweet",
        "follow us",
        "folgen sie uns",
        # newsletters and subscriptions
        "subscribe",
        "subscribe now",
        "sign up",
        "newsletter",
        "abonnieren",
        "s'abonner",
        "je m'abonne",
        "suscríbete",
        "iscriviti",
        # lists of other stories
        *READ_ALSO,
        "latest stories",
        "latest news",
        "trending now",
        "trending",
        "most read",
        "most popular",
        "popular stories",
        "top stories",
        "related",
        "related stories",
        "related articles",
        "related posts",
        "related news",
        "recommended",
        "recommended stories",
        "you may also like",
        "you might also like",
        "more stories",
        "more from",
        "more on this story",
        "read more",
        "read next",
        "up next",
        "weitere artikel",
        "das könnte sie auch interessieren",
        "meistgelesen",
        "sur le même sujet",
        "more news",
        "weiterlesen",
        "lire la suite",
        "contact us",
        "kontaktieren sie uns",
        "contactez-nous",
        "contáctanos",
        "newsletter abonnieren",
        "subscribe to our newsletter",
        "sign up for our newsletter",
        "topics",
        "tags",
        "themen",
        "schlagwörter",
        "étiquettes",
        "etiquetas",
        "mots-clés",
        "palabras clave",
        "parole chiave",
        "trefwoorden",
        "stichworte",
        "stichwörter",
        "schlagworte",
        "tagi",
        "štítky",
        "etiketler",
        "filed under",
        # misc
        "skip to content",
        "get rss feeds",
        "rss feeds",
        "mail the webmaster",
        "brought to you by",
        "staff and agencies",
        "skip advertisement",
        # where an advertisement interrupts the story ("Story continues below advertisement")
        "story continues below advertisement",
        "article continues below advertisement",
        "story continues below",
        "article continues below",
        "continue reading below",
        "weiter nach der anzeige",
        "artikel wird unter der anzeige fortgesetzt",
        "la suite après cette publicité",
        "la suite après la publicité",
        "continúa después de la publicidad",
        "l'articolo continua dopo la pubblicità",
        # an embedded post's link to its platform, and a feedback widget under the story
        "view this post on instagram",
        "view this post on tiktok",
        "was this article helpful",
        "was this article helpful yes no",
        "war dieser artikel hilfreich",
        "war dieser artikel hilfreich ja nein",
        "cet article vous a-t-il été utile",
        "¿te ha resultado útil este artículo",
        "back to top",
        "zurück nach oben",
        "loading",
        "loading...",
        "click to expand",
        # what stands in for an embed until the reader lets it load
        "embed",
        "embedded content",
        "external content",
        "empfohlener redaktioneller inhalt",
        "externer inhalt",
        "externe inhalte",
        "eingebetteter inhalt",
        "contenu externe",
        "contenido externo",
        "contenuto esterno",
        "view comments",
        "show comments",
        # the comment form's heading and controls
        "leave a reply",
        "leave a comment",
        "post a comment",
        "cancel reply",
        "kommentar abgeben",
        "kommentar schreiben",
        "laisser un commentaire",
        "deja un comentario",
        "deja una respuesta",
        "lascia un commento",
        "laat een reactie achter",
    }
)

#: A line that starts with one of these (followed by ':' or '|' or '»' etc.) is a promo or tag list.
PROMO_PREFIXES: tuple[str, ...] = (
    "see more",
    "read more",
    "read next",
    "related",
    "more",
    "must read",
    "don't miss",
    "dont miss",
    "watch",
    "recommended",
    "trending",
    "tags",
    "topics",
    "filed under",
    "categories",
    "lesen sie mehr",
    "siehe auch",
    "schlagwörter",
    "themen",
    "voir aussi",
    "lea también",
    "vedi anche",
    "must see",
    *READ_ALSO,
    "subscribe",
    "sign up",
    "newsletter",
    "advertisement",
    "subscribe to",  # a blog's feed links: "Subscribe to: Posts (Atom)"
    # the links to the neighbouring stories ("Previous story: Title")
    "previous story",
    "next story",
    "previous article",
    "next article",
    "previous post",
    "next post",
    "vorheriger artikel",
    "nächster artikel",
    "article précédent",
    "article suivant",
    "artículo anterior",
    "artículo siguiente",
    "articolo precedente",
    "articolo successivo",
)

#: Lead-ins of image captions and credits.
CREDIT_PREFIXES: tuple[str, ...] = (
    "photo",
    "photos",
    "image",
    "images",
    "image credit",
    "image source",
    "picture",
    "pic",
    "credit",
    "credits",
    "photo credit",
    "source",
    "illustration",
    "graphic",
    "video",
    "foto",
    "fotos",
    "bild",
    "bildquelle",
    "quelle",
    "grafik",
    "crédit",
    "crédits",
    "crédito",
    "créditos",
    "imagen",
    "immagine",
)

#: Lead-ins of a translator's credit ("Translated by Jo Ek", "Übersetzung: Jo Ek", "Aus dem
#: Englischen von Jo Ek", "Traduit de l'anglais par Jo Ek"). Lower-cased regexes.
TRANSLATION_CREDITS: tuple[str, ...] = (
    r"translated (?:from (?:the )?\w+ )?by",
    r"translation(?: and adaptation)?\s*:",
    r"übersetzung(?: und \w+)?\s*:",
    r"übersetzt (?:aus dem \w+ )?von",
    r"aus dem \w+(?: übersetzt)? von",
    r"traduit (?:de l['’]\w+ )?par",
    r"traduction\s*:",
    r"traducción\s*:",
    r"traducido (?:del \w+ )?por",
    r"tradução\s*:",
    r"traduzido (?:do \w+ )?por",
    r"traduzione\s*:",
    r"tradotto (?:dall['’]\w+ )?da",
    r"vertaling\s*:",
    r"vertaald (?:uit het \w+ )?door",
)

#: Words inside a parenthesised credit: "(Image via X)", "(Photo: X)", "(Getty Images)".
CREDIT_WORDS: tuple[str, ...] = (
    "image",
    "photo",
    "picture",
    "pic",
    "credit",
    "via",
    "foto",
    "bild",
    "getty",
    "reuters",
    "afp",
    "ap photo",
    "shutterstock",
    "istock",
    "dpa",
    "imago",
    "source",
    "quelle",
    "illustration",
    "courtesy",
    "file photo",
    "screenshot",
    "screengrab",
)

#: Bits of an author field that are not a person: leading "By", trailing roles and boilerplate.
AUTHOR_PREFIXES: tuple[str, ...] = (
    "by",
    "von",
    "par",
    "por",
    "di",
    "door",
    "av",
    "af",
    "written by",
    "words by",
    "posted by",
    "published by",
    "veröffentlicht von",
    "publiziert von",
    "geschrieben von",
    "ein beitrag von",
    "beitrag von",
    "publié par",
    "écrit par",
    "publicado por",
    "escrito por",
    "scritto da",
    "autor",
    "autorin",
    "autoren",
    "author",
    "authors",
    "auteur",
    "auteurs",
    "redacción",
    "reporter",
    "text",
    "texte",
    "from",
    "über",
    "about",
    "alles von",
    "mehr von",
    "alle artikel von",
    "artikel von",
    "all posts by",
    "posts by",
    "articles by",
    "more from",
    "more by",
    "stories by",
    "tous les articles de",
)

#: Labels that introduce a byline printed in the page ("By" + a linked name, "Von Jo Ek").
#: Matched at the start of a text node, followed by a space or a colon.
BYLINE_LABELS: tuple[str, ...] = (
    "by",
    "von",
    "par",
    "por",
    "door",
    "written by",
    "words by",
    "posted by",
    "published by",
    "geschrieben von",
    "erstellt von",
    "verfasst von",
    "veröffentlicht von",
    "ein beitrag von",
    "beitrag von",
    "écrit par",
    "publié par",
    "escrito por",
    "publicado por",
    "scritto da",
    "redacción",
)

#: The word before a "by" that credits other work than the writing ("Edited by", "Photos
#: by", "Fotos von", "Traduit par"): the name after it is no author of the article.
NOT_AUTHOR_ROLES: frozenset[str] = frozenset(
    {
        "edited",
        "editing",
        "reviewed",
        "fact-checked",
        "checked",
        "photo",
        "photos",
        "photographs",
        "photography",
        "pictures",
        "images",
        "illustrated",
        "illustration",
        "illustrations",
        "graphics",
        "video",
        "videos",
        "designed",
        "produced",
        "translated",
        "translation",
        "bearbeitet",
        "redigiert",
        "fotos",
        "bilder",
        "illustriert",
        "übersetzt",
        "geprüft",
        "édité",
        "révisé",
        "relu",
        "illustré",
        "traduit",
        "editado",
        "revisado",
        "ilustrado",
        "ilustraciones",
        "traducido",
        "traduzido",
        "fotografías",
        "fotografias",
        # a contributor beside the writer ("Additional reporting by Al Bo"); "Reporting by"
        # alone names the writer on a wire story
        "additional reporting",
        "zusätzliche recherche",
    }
)

#: Nouns that label a byline only with a colon ("Text: Jo Ek", "Autor: Jo Ek"): without
#: one they open ordinary interface text ("Text size", "Author archive").
BYLINE_NOUN_LABELS: tuple[str, ...] = (
    "text",
    "words",
    "texte",
    "autor",
    "autorin",
    "autoren",
    "author",
    "authors",
    "auteur",
    "autore",
)

#: Lower-case words that may follow the names of a byline ("Von Jo Ek am 3. Mai").
DATE_LEAD_WORDS: frozenset[str] = frozenset(
    {"am", "on", "at", "um", "vom", "den", "le", "el", "il", "op", "på", "updated", "published"}
)

#: Degrees and credentials written after a name ("Dana Whitfield, MS, RD"): never a name.
CREDENTIALS: frozenset[str] = frozenset(
    {"ms", "rd", "rdn", "mph", "rn", "msc", "bsc", "mba", "cde", "ldn", "np", "dpt", "ma", "ba"}
)

#: Path segments of links to an author's page (``/author/jo-ek/``, ``/autoren/jo-ek``).
AUTHOR_PATHS: tuple[str, ...] = (
    "author",
    "authors",
    "autor",
    "autoren",
    "auteur",
    "staff",
    "creator",
    "redakteur",
    "journalist",
    "journalists",
    "writer",
    "writers",
    "people",
)

#: Path segments of links to tag, topic or category pages (``/tag/solar/``, ``/thema/x``):
#: a byline that links to them lists topics, not people.
TAG_PATHS: tuple[str, ...] = (
    "tag",
    "tags",
    "topic",
    "topics",
    "category",
    "categories",
    "thema",
    "themen",
    "kategorie",
    "schlagwort",
    "schlagworte",
    "stichwort",
    "rubrik",
    "sujet",
    "sujets",
    "tema",
    "temas",
    "argomento",
)

#: News agencies, by the names their copy is credited with (lower case; "the" and dots
#: dropped): an agency credited alone is an organisation, not a person. The large wire
#: services and each country's national agency.
NEWS_AGENCIES: frozenset[str] = frozenset(
    {
        "reuters", "thomson reuters", "associated press", "ap", "afp", "agence france-presse",
        "agence france presse", "dpa", "deutsche presse-agentur", "epd", "kna", "apa",
        "austria presse agentur", "sda", "keystone-sda", "ats", "ansa", "adnkronos", "efe",
        "agencia efe", "europa press", "lusa", "agência lusa", "belga", "anp", "ritzau", "ntb",
        "tt", "stt", "pap", "ctk", "čtk", "mti", "tass", "ria novosti", "interfax",
        "ukrinform", "anadolu", "anadolu ajansı", "anadolu agency", "ana-mpa", "kyodo",
        "kyodo news", "jiji", "jiji press", "xinhua", "yonhap", "bernama", "antara", "pti",
        "press trust of india", "ians", "ani", "upi", "united press international", "aap",
        "australian associated press", "canadian press", "press association", "pa media",
        "bloomberg", "wafa", "mena", "irna", "kuna", "wam", "spa", "qna", "sana",
    }
)  # fmt: skip

#: Words that credit a newsroom or a group of staff, not a person ("Redaktion", "Staff
#: Writers", "wire reports").
NEWSROOM_WORDS: frozenset[str] = frozenset(
    {
        "redaktion",
        "rédaction",
        "redacción",
        "redazione",
        "redactie",
        "newsroom",
        "nachrichten",
        "noticias",
        "writers",
        "reporters",
        "correspondents",
        "editors",
        "reports",
        "report",
        "desk",
        "newsdesk",
        "board",
        "bureau",
        "wire",
        # a publication's name is its newsroom's credit ("By Harbour Times", "Harbour
        # Gazette staff"); not words that are also surnames ("Post", "Herald", "Star")
        "times",
        "tribune",
        "gazette",
        "chronicle",
        "journal",
        "telegraph",
        "observer",
        "zeitung",
        "tageblatt",
        "magazine",
        "magazin",
        "daily",
        "weekly",
    }
)

#: Parts of a CMS account's user name ("wordpressadmin", "webmaster2"): a one-word author
#: containing one is the site's account, not a person.
ACCOUNT_WORDS: tuple[str, ...] = ("admin", "webmaster", "webmistress", "sysop")

#: An author field containing one of these words is not a person's name.
NOT_PERSON_WORDS: frozenset[str] = frozenset(
    {
        "anzeigen",
        "quelle",
        "source",
        "email",
        "e-mail",
        "mail",
        "follow",
        "folgen",
        "suivre",
        "seguir",
        "segui",
        "volgen",
        "twitter",
        "facebook",
        "instagram",
        "linkedin",
        "contact",
        "share",
        "photo",
        "photos",
        "image",
        "images",
        "credit",
        "getty",
        "www",
        "http",
        "https",
        "com",
        "updated",
        "published",
        "read",
        "more",
        "view",
        "profile",
        "posts",
        "all",
        "articles",
        "bio",
        "about",
        "and",
        "min",
        "minutes",
        "ago",
        "name",
        "says",
        "said",
        "sagt",
        "schreibt",
        "dit",
        "dice",
        "ist",
        "is",
        "was",
        "veröffentlicht",
        "publiziert",
        "gespräch",
        "interview",
        "sponsored",
        "gesponserte",
        "inhalte",
        "visitor",
        "gast",
        "reply",
        "antworten",
        "edit",
        "bearbeiten",
        "login",
        "logout",
        "register",
        "search",
        "suche",
        "menu",
        "home",
        "comments",
        "comment",
        "kommentar",
        "kommentare",
        "leave",
        "print",
        "drucken",
        "posted",
        "kontakt",
        "datum",
        "date",
        "vorlesen",
        "human",
        "admin",
        "developed",
        "designed",
        "powered",
        "on",
        "am",
        "um",
        "at",
        "phd",
        "ph.d",
        "md",
        "m.d",
        # a genre or section label set where the byline goes ("Opinion | Guest Column",
        # "Breaking News", "LIVE", "Anzeige"), and "our" of "Our Reporter"
        "opinion",
        "opinión",
        "opinião",
        "opinione",
        "meinung",
        "analysis",
        "analyse",
        "análisis",
        "analisi",
        "commentary",
        "column",
        "gastbeitrag",
        "exclusive",
        "exklusiv",
        "live",
        "liveblog",
        "podcast",
        "video",
        "videos",
        "advertisement",
        "anzeige",
        "werbung",
        "publicité",
        "news",
        "latest",
        "breaking",
        "stories",
        "release",
        "our",
    }
)

#: Short words that may appear inside a person's name in lower case.
NAME_PARTICLES: frozenset[str] = frozenset(
    {
        "von",
        "van",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "zu",
        "ten",
        "ter",
        "bin",
        "al",
        "el",
        "dos",
        "das",
        "y",
        "e",
        "st.",
        "mc",
    }
)

#: Words that lead from a writer's name to where they write from ("Jo Ek in Cape Town",
#: "Jo Ek reporting from Kyiv", "Von Jo Ek aus Berlin", "Par Jo Ek à Paris"): the place is
#: no part of the name. None is a particle of names or a word for "and" (Catalan "i", Italian
#: "a" and Dutch "en" are left out).
PLACE_LEADS: frozenset[str] = frozenset(
    {"in", "from", "aus", "à", "desde", "em", "depuis", "dalla", "dal"}
)
#: Words that lead from a writer's name to the publication they write for ("Jo Ek for the
#: Harbour Times", "Jo Ek for Reuters"): only before a publication, since an office or an
#: organisation is named so too ("Program Manager for Europe", "Center for Drug Evaluation").
PUBLICATION_LEADS: frozenset[str] = frozenset({"for", "für", "pour"})
#: An article between such a word and the place or publication ("for the Harbour Times").
PLACE_ARTICLES: frozenset[str] = frozenset({"the", "der", "die", "das", "le", "la", "les"})

#: Role words that end an author field ("Jane Doe, Senior Reporter").
ROLE_WORDS: frozenset[str] = frozenset(
    {
        "reporter",
        "correspondent",
        "editor",
        "writer",
        "journalist",
        "columnist",
        "contributor",
        "redakteur",
        "redakteurin",
        "korrespondent",
        "korrespondentin",
        "autor",
        "autorin",
        "senior",
        "staff",
        "chief",
        "producer",
        "analyst",
        "photographer",
        "intern",
        "rechtsanwalt",
        "rechtsanwältin",
        "rédacteur",
        "journaliste",
        "periodista",
        "redattore",
        "giornalista",
    }
)

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

#: Calls to action: a short line matching one of these asks the reader to do something
#: (subscribe, share, follow, download) and is not article text.
CALL_TO_ACTION: tuple[str, ...] = (
    r"\b(?:sign(?:ing)? up|subscrib\w*|register)\b.{0,80}\b(?:newsletter|inbox|updates|e-?mails?)\b",
    r"\bdelivered (?:straight |directly )?to your inbox\b",
    r"^follow\b.{0,60}\bon (?:facebook|twitter|x|instagram|linkedin|threads|bluesky|mastodon)\b",
    r"\bif you (?:enjoyed|liked) this (?:article|story|post)\b",
    r"^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$",
    r"\bnewsletters?\b.{0,80}\b(?:sign up|subscribe|inbox|delivered)\b",
    r"\b(?:share|teilen|partagez)\b.{0,30}\b(?:friends?|freunde|amis)\b",
    r"\blike this (?:story|article)\b",
    r"\bfollow (?:us|him|her|them|me)\b.{0,20}\bon\b",
    r"\b(?:click|tap) here\b",
    r"\bdownload (?:the|our)\b.{0,30}\bapp\b",
    r"\bget the\b.{0,30}\bapp\b",
    r"\bsend (?:this|the) (?:article|story|page) to (?:a )?friends?\b",
    r"\bjoin (?:us|our \w+(?: channel)?) on (?:whatsapp|telegram|signal)\b",
    r"\b(?:follow us|folgen sie uns|suivez-nous|síguenos|seguici) (?:on|auf|sur|en|su) (?:whatsapp|telegram)\b",
    r"\bnewsletter (?:abonnieren|bestellen)\b",
    r"\bjetzt\b.{0,30}\babonnieren\b",
    r"\babonnez-vous\b",
    r"\bdécouvr\w* (?:nos|les) offres\b",
    r"^\W*(?:jetzt )?\d+ (?:wochen|tage|monate) (?:lang )?(?:kostenlos|gratis) (?:testen|lesen)\W*$",
    r"^\W*(?:start|begin) your free trial\b",
    r"\bnewsletter\b.{0,60}\b(?:anmelden|inscri\w+|suscr[ií]b\w+|iscriv\w+|abonne\w*|assine)\b",
    r"\b(?:melden sie sich|inscrivez-vous|suscríbete|iscriviti|assine)\b.{0,60}\bnewsletter\b",
    r"\b(?:schreiben sie|écrivez|escriba|scrivete)\b.{0,40}@\w",
    r"\b(?:write to|contact|reach) (?:him|her|them|the (?:author|writer|reporter))?\b.{0,60}@\w",
    r"\bmay be reached at\b",
    # a prompt to send the newsroom a tip ("Have a story tip? Email us at …")
    r"^\W*(?:have|got) (?:a|any) (?:news |story )?tips?\b.{0,80}\b(?:email|e-mail|contact|"
    r"send|write|let us know|get in touch)\b",
    # a report-an-error prompt under the story ("Found an error? Let us know", "Fehler
    # gefunden? Jetzt melden")
    r"\b(?:found (?:an? )?(?:error|typo|mistake)|spotted (?:an? )?(?:error|typo|mistake)|"
    r"fehler gefunden|une erreur|un error|un errore)\s*\?\W*(?:jetzt |nous |nos |ce )?"
    r"(?:melden|report|let us know|tell us|signalez|signaler|avísanos|comunícanoslo|segnalacelo)\b",
    # the comment form's prompt to log in first (WordPress and its translations)
    r"\blogged in to (?:post|leave|write|add) a (?:comment|reply)\b",
    r"\b(?:log ?in|sign in) or register to (?:post|add|leave) (?:a )?comments?\b",
    r"\b(?:einloggen|eingeloggt sein|angemeldet sein),? um (?:einen |ein )?kommentar",
    r"\bconnecté(?:e)? pour (?:publier|poster|écrire|laisser) un commentaire\b",
    r"\b(?:conectado|identificado|registrado) para (?:publicar|enviar|escribir) un comentario\b",
    r"\b(?:registrato|collegato|loggato) per (?:pubblicare|inviare|scrivere) un commento\b",
)

#: Notices that an article goes on for subscribers or members only (a paywall cut): the
#: notice, and the sign-up pitch after it, are not the article. Lower-cased regexes.
PAYWALL_NOTICES: tuple[str, ...] = (
    r"\b(?:this|the rest of this) (?:article|story) is (?:only |exclusively )?(?:available )?"
    r"(?:for|to) (?:paying )?(?:subscribers|members)\b",
    r"\bsubscribe (?:now )?to (?:continue|keep) reading\b",
    r"\bto (?:read|continue reading|view|access) (?:this|the full|the rest of this) "
    r"(?:article|story)(?: in full)?,? you (?:must|need to|have to|will need to)\b",
    r"\bum (?:diesen|den ganzen|den vollständigen) (?:artikel|beitrag) "
    r"(?:vollständig |ganz )?(?:zu )?lesen,? (?:müssen|benötigen|brauchen) sie\b",
    r"\bdieser (?:artikel|beitrag|inhalt) ist (?:nur |exklusiv )?(?:für|fuer) "
    r"(?:abonnent|abonnentinnen|abonnenten|mitglieder)",
    r"\b(?:cet article|la suite de cet article|cet article est) (?:est )?réservée? aux abonnés\b",
    r"\b(?:este|el) (?:artículo|contenido) es (?:exclusivo )?para (?:suscriptores|socios)\b",
    r"\b(?:articolo|contenuto) riservato agli abbonati\b",
    r"\bdit (?:artikel|stuk) is (?:alleen )?(?:voor|beschikbaar voor) abonnees\b",
    r"\bconteúdo exclusivo para assinantes\b",
    r"\bla suite est réservée aux (?:abonnés|membres)\b",
    r"\bil vous reste \d+(?:[.,]\d+)? ?% de (?:cet article|ce texte) à lire\b",
    r"会員限定",
    r"有料会員",
)

#: A reading-time line ("5 min read", "Lesedauer: 4 Minuten", "3 min de lecture") is made
#: of a label before the minutes or a tail after them, and one of these minute words.
READING_TIME_LABELS: tuple[str, ...] = (
    "reading time",
    "estimated reading time",
    "read time",
    "lesedauer",
    "lesezeit",
    "temps de lecture",
    "lecture",
    "tiempo de lectura",
    "lectura",
    "tempo di lettura",
    "lettura",
    "leestijd",
    "tempo de leitura",
    "leitura",
    "czas czytania",
    "lästid",
    "lesetid",
    "læsetid",
    "okuma süresi",
)
READING_TIME_TAILS: tuple[str, ...] = (
    "read",
    "reading",
    "to read",
    "lesezeit",
    "lesedauer",
    "de lecture",
    "de lectura",
    "di lettura",
    "leestijd",
    "de leitura",
    "läsning",
    "lesning",
    "læsning",
    "okuma",
    "czytania",
)
MINUTE_WORDS: tuple[str, ...] = (
    "min",
    "mins",
    "minute",
    "minutes",
    "minuten",
    "minuto",
    "minutos",
    "minuti",
    "minut",
    "minuty",
    "minutter",
    "dk",
    "dakika",
)

#: A line that only counts the story's readers ("9086 reads", "1,2K views", "345 Aufrufe"):
#: a number, then one of these words.
VIEW_COUNT_WORDS: tuple[str, ...] = (
    "reads",
    "views",
    "hits",
    "aufrufe",
    "vues",
    "lectures",
    "visitas",
    "lecturas",
    "visualizaciones",
    "visualizzazioni",
    "letture",
    "weergaven",
    "visualizações",
    "leituras",
)

#: Placeholders shown instead of an embed until the reader consents to third-party
#: content ("external content", "privacy settings prevent loading"). Lower-cased regexes.
CONSENT_PLACEHOLDERS: tuple[str, ...] = (
    # the offer's wording varies between sites: up to six words before "externen Inhalt"
    r"\ban dieser stelle finden sie (?:[\w,-]+ ){0,6}externen inhalt\b",
    r"\b(?:ich bin|ich erkläre mich) damit einverstanden, dass mir (?:der |die )?externen? "
    r"inhalte? angezeigt",
    r"\b(?:deine|ihre) privatsphäre-einstellungen verhindern\b",
    r"\bthis (?:content|embed) is (?:blocked|not available|unavailable) (?:due to|because of) "
    r"your (?:privacy|cookie|consent)",
    r"\bto (?:view|see|display) this (?:content|embed),? (?:please )?(?:accept|enable|allow) "
    r"(?:cookies|consent|third-party)",
    r"\bce contenu est bloqué\b",
    # a cookie banner's text left inside the article
    r"^\W*(?:we use cookies|this (?:web)?site uses cookies|wir verwenden cookies|diese "
    r"(?:web)?seite verwendet cookies|nous utilisons des cookies|ce site utilise des cookies|"
    r"utilizamos cookies|este sitio (?:web )?utiliza cookies|utilizziamo (?:i )?cookie)\b.{0,200}"
    r"\b(?:cookie policy|privacy policy|by continuing|you (?:agree|consent)|accept (?:all )?"
    r"cookies|your (?:browsing )?experience|datenschutz\w*|stimmen sie|zustimmung|en poursuivant|"
    r"acceptez|politique de confidentialité|al continuar|aceptas|política de cookies|"
    r"continuando|accetti|informativa)",
)

#: Legal notices under a story (rights reserved, no republication): not article text.
#: Lower-cased regexes.
LEGAL_NOTICES: tuple[str, ...] = (
    r"\ball rights reserved\b",
    r"\b(?:may|must) not be (?:published|reproduced|republished|broadcast|redistributed)\b",
    r"\b(?:prohibited|forbidden) without (?:the )?prior written (?:consent|permission)\b",
    r"\balle rechte vorbehalten\b",
    r"\btous droits réservés\b",
    r"\btodos los derechos reservados\b",
    r"\btutti i diritti riservati\b",
    r"\balle rechten voorbehouden\b",
    r"\btodos os direitos reservados\b",
    r"\bfor (?:your )?personal,? non-?commercial use only\b",
    # the site's own terms, addressed to whoever reads this site
    r"\b(?:use of|users of|using|on|for) this (?:web ?)?site\b.{0,80}"
    r"\b(?:privacy (?:policy|statement)|terms (?:and conditions|of (?:service|use))|user agreement)\b",
    r"\b(?:privacy (?:policy|statement)|terms (?:and conditions|of (?:service|use)))\b.{0,80}"
    r"\b(?:before|by|when) (?:using|visiting) this (?:web ?)?site\b",
    r"\b(?:nutzung|nutzer) dieser (?:web)?seite\b.{0,80}"
    r"\b(?:datenschutzerklärung|nutzungsbedingungen)\b",
)

#: The notice Google asks every page with an invisible reCAPTCHA to print beside its form
#: ("This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service
#: apply"), in the languages it comes in. Lower-cased regexes.
RECAPTCHA_NOTICES: tuple[str, ...] = (
    r"\bprotected by recaptcha\b",
    r"\bdurch recaptcha geschützt\b",
    r"\bprotégé par recaptcha\b",
    r"\bprotegido por recaptcha\b",
    r"\bprotetto da recaptcha\b",
    r"\bbeschermd door recaptcha\b",
)

#: Markers of an organisation name (legal forms, institution words). An author field with
#: one is used only when no person's name is found anywhere on the page.
ORGANISATION_MARKERS: tuple[str, ...] = (
    r"e\.\s?V\b",
    r"GmbH",
    r"AG",
    r"KG",
    r"Inc\b",
    r"Ltd\b",
    r"LLC",
    r"S\.A\b",
    r"plc",
    r"Stiftung",
    r"Verband",
    r"Verein",
    r"Foundation",
    r"Institut\w*",
    r"Landesanstalt",
    r"Ministeri\w*",
    r"Bundesamt",
    r"Universit\w*",
    r"Agency",
    r"Association",
    r"News",
)


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


# ---------------------------------------------------------------- authors: CJK bylines
# (Chinese, Japanese and Korean papers; used by scraper.extraction.authors and .byline_dom)

#: Labels that open a credit line in Chinese, Japanese and Korean papers ("责任编辑：X",
#: "（记者 X、Y）", "文＝X"): the names follow, separated by "、", "，" or spaces.
CJK_BYLINE_LABELS: tuple[str, ...] = (
    "责任编辑",
    "責任編輯",
    "责编",
    "責編",
    "编辑",
    "編輯",
    "本报记者",
    "本報記者",
    "记者",
    "記者",
    "作者",
    "撰稿",
    "撰文",
    "执笔",
    "執筆",
    "取材",
    "文",
    "글",
)

#: Job titles written after a name in Chinese, Japanese and Korean bylines ("X 기자",
#: "X記者", "X特派員"), with or without a space: never part of the name.
CJK_ROLE_SUFFIXES: tuple[str, ...] = (
    "선임기자",
    "객원기자",
    "인턴기자",
    "전문기자",
    "기자",
    "특파원",
    "논설위원",
    "편집위원",
    "特派員",
    "特派员",
    "編集委員",
    "论说委员",
    "論説委員",
    "通讯员",
    "記者",
    "记者",
)

#: Endings of the names of Chinese, Japanese and Korean organisations (agencies, papers,
#: broadcasters, offices, sites: "新华社", "毎日新聞", "한국일보") and of "report" labels
#: ("即时报道"): such a credit is no person.
CJK_ORGANISATION_ENDINGS: tuple[str, ...] = (
    "社",
    "网",
    "網",
    "报",
    "報",
    "新聞",
    "新闻",
    "电视台",
    "電視台",
    "频道",
    "編集部",
    "编辑部",
    "报社",
    "局",
    "일보",
    "신문",
    "뉴스",
    "방송",
    "편집국",
    "报道",
    "報導",
    "報道",
    "ドットコム",
)

#: Interface words of Chinese, Japanese and Korean pages ("留言" comments, "分享" share,
#: "관련기사" related articles): never a person's name, whatever element holds them.
CJK_NOT_PERSON_WORDS: frozenset[str] = frozenset(
    {
        "留言",
        "评论",
        "評論",
        "分享",
        "关注",
        "關注",
        "订阅",
        "訂閱",
        "登录",
        "登入",
        "注册",
        "註冊",
        "更多",
        "返回",
        "首页",
        "首頁",
        "コメント",
        "シェア",
        "フォロー",
        "ログイン",
        "댓글",
        "공유",
        "구독",
        "로그인",
        "관련기사",
        "더보기",
    }
)

#: "and" between two names in Danish and Norwegian, Swedish and Finnish ("Jo Ek og Al
#: Bo"), beside the English, German and French ones the author splitter always knew
#: (not Dutch "en": in French and Spanish it is "in", and opens phrases).
MORE_NAME_JOINERS: tuple[str, ...] = ("og", "och", "ja")
#: "and" between two names in Dutch, Spanish, Portuguese and Italian, Catalan ("Jo Ek en
#: Al Bo", "Jo Ek y Al Bo"): a joiner only between two full names, since the same words
#: stand inside one name ("Ortega y Gasset", "Santos e Silva", "Puig i Cadafalch") and
#: before a place (French and Spanish "en").
FULL_NAME_JOINERS: frozenset[str] = frozenset({"en", "y", "e", "i"})

#: Definite and indefinite articles: a title ("The Harbour Diaries", "Die Fähre") opens
#: with one, a person's name does not (particles such as "de", "la" aside).
ARTICLES: frozenset[str] = frozenset(
    {"the", "a", "le", "la", "les", "l", "die", "der", "das", "el", "los", "il", "de", "het"}
)

#: Phrases that open with a byline label but are no byline ("Por favor, ...", "By clicking
#: 'Accept' ...", "By the way"): the words after them are no names.
NOT_BYLINE_OPENINGS: tuple[str, ...] = (
    "por favor",
    "by clicking",
    "by continuing",
    "by using",
    "by signing",
    "by subscribing",
    "by submitting",
    "by registering",
    "by the way",
    "by default",
    "par exemple",
    "par ailleurs",
)
