"""What opens and marks a byline, by language: labels and prefixes, credits for other work
than the writing, author and tag paths, and the labels and job titles of Chinese, Japanese
and Korean credits (:mod:`scraper.extraction.authors`)."""

from __future__ import annotations

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
