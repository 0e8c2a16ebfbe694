"""What a person's name holds and what stands around it, by language: particles, joiners,
roles and credentials, and the words that lead to a place or a publication
(:mod:`scraper.extraction.authors`)."""

from __future__ import annotations

#: Degrees and credentials written after a name ("Dana Whitfield, MS, RD"): never a name.
CREDENTIALS: frozenset[str] = frozenset(
    {"ms", "rd", "rdn", "mph", "rn", "msc", "bsc", "mba", "cde", "ldn", "np", "dpt", "ma", "ba"}
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

#: "and" between two names in Danish and Norwegian, Swedish and Finnish ("Jo Ek og Al
#: Bo"), beside the English, German and French ones the author splitter always knew; the
#: words that also stand inside a name or before a place are FULL_NAME_JOINERS.
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
