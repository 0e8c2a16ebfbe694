"""Notices and credits printed inside a story, by language: photo and translation credits,
paywall and consent notices, reading times and view counts, legal and reCAPTCHA text
(:mod:`scraper.extraction.cleaning_rules`)."""

from __future__ import annotations

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
