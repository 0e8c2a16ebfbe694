"""Notices, labels and pitches around a story (paywall and consent notices, reading times,
legal lines, comment prompts, credits, subscription pitches) are no article text; prose that
reads like them stays."""

from __future__ import annotations

import re
from typing import Any

import pytest

from scraper.extraction.body import Block
from scraper.extraction.cleaning import PageContext, clean_blocks

PROSE = [
    Block(
        "p", "The harbour board met on Monday to decide how the old pier would be repaired. " * 4
    ),
    Block(
        "p", "Fishermen told the meeting that the pier had been unsafe for two winters now. " * 4
    ),
]


def kept(*blocks: Block) -> list[str]:
    return [b.text for b in clean_blocks(list(blocks), PageContext()).blocks]


@pytest.mark.parametrize(
    "notice",
    [
        "This article is only available to subscribers.",
        "Dieser Artikel ist nur für Abonnenten verfügbar.",
        "La suite de cet article est réservée aux abonnés.",
        "この記事は会員限定です。",
        "To read this story in full you need to be a subscriber.",
        "Um diesen Artikel vollständig zu lesen, benötigen Sie ein Abonnement.",
        "Il vous reste 64.5% de cet article à lire. La suite est réservée aux abonnés.",
    ],
)
def test_paywall_notice_and_the_pitch_after_it_are_dropped(notice: str) -> None:
    pitch = [Block("p", notice), Block("item", "Read every story"), Block("p", "Log in")]
    assert kept(*PROSE, *pitch) == [b.text for b in PROSE]


def test_paywall_banner_above_the_text_drops_only_itself() -> None:
    banner = Block("p", "This story is available to subscribers only.")
    assert kept(banner, *PROSE) == [b.text for b in PROSE]


def test_notices_above_a_story_told_in_short_paragraphs_drop_only_themselves() -> None:
    # no paragraph is long, but together they are the story, not a sign-up pitch
    story = [
        Block("p", f"The harbour board met on day {n} to decide how the old pier would be mended.")
        for n in range(12)
    ]
    notices = [
        Block("p", "To view the full article you will need to be a member."),
        Block("p", "To continue reading this story, you need to log in."),
    ]
    assert kept(*notices, *story) == [b.text for b in story]


def around(line: str, where: str) -> list[Block]:
    """``line`` as a paragraph before, between or after the two paragraphs of prose."""
    block = Block("p", line)
    return {
        "before": [block, *PROSE],
        "between": [PROSE[0], block, PROSE[1]],
        "after": [*PROSE, block],
    }[where]


def cases(rule: str, where: str, *lines: str) -> list[Any]:
    """One case per line, named after the rule it tests."""
    return [pytest.param(where, line, id=f"{rule}-{i}") for i, line in enumerate(lines)]


#: Lines that are no article text, each where a page prints it, by the rule that drops it.
NOT_ARTICLE_TEXT = [
    *cases(
        "control-row",
        "between",
        "Share on Facebook Share on Twitter Email",
        "Teilen Drucken Kommentare",
    ),
    *cases(
        "consent-placeholder",
        "between",
        "An dieser Stelle finden Sie einen externen Inhalt, der den Artikel ergänzt.",
        "An dieser Stelle finden Sie einen passenden, ausgewählten externen Inhalt.",
        "Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden.",
        "This content is blocked due to your privacy settings.",
    ),
    *cases(
        "embed-label", "between", "Embed", "Empfohlener redaktioneller Inhalt", "External content"
    ),
    *cases(
        "cjk-dateline",
        "before",
        "2024年3月5日 08時15分 (3月5日 09時02分更新)",
        "2024년 3월 5일 08:15 입력",
    ),
    *cases(
        "legal-notice",
        "after",
        "Copyright 2024 Harbour Wire. All rights reserved. This material may not be published, "
        "broadcast, rewritten or redistributed.",
        "© 2024 Estuary Times. Republication is prohibited without the prior written consent "
        "of the publisher.",
        "Alle Rechte vorbehalten. Vervielfältigung nur mit Genehmigung der Redaktion.",
    ),
    *cases(
        "reprints-and-feeds",
        "after",
        "Harbour Reprints: This copy is for your personal, non-commercial use only. To order "
        "copies for your colleagues, use the Order Reprints tool.",
        "Subscribe to: Post Comments (Atom)",
    ),
    *cases(
        "reading-time",
        "before",
        "5 min read",
        "7-minute read",
        "Reading time: 4 minutes",
        "Estimated reading time: about 6 min",
        "Lesedauer: 3 Minuten",
        "2 Minuten Lesezeit",
        "Temps de lecture : 5 min.",
        "4 min de lectura",
        "Leestijd 3 minuten",
    ),
    *cases(
        "comment-form-and-error-report",
        "after",
        "You must be logged in to post a comment.",
        "Du musst dich einloggen, um einen Kommentar abzugeben.",
        "Vous devez être connecté pour publier un commentaire.",
        "Leave a Reply",
        "Kommentar abgeben",
        "Found an error? Let us know.",
        "Login or register to post comments",
        "Fehler gefunden? Jetzt melden.",
        "Vous avez repéré une erreur ? Signalez-la.",
    ),
    *cases("reader-count", "after", "9086 reads", "1,204 views", "3.4K views", "512 Aufrufe"),
    *cases(
        "translator-credit",
        "after",
        "Translated by Ana Ruiz",
        "Übersetzung: Jan Ek, Redaktion: Lea Roth",
        "Aus dem Englischen von Jan Ek",
        "Traduit de l’anglais par Marie Dupont",
        "Traducción: Ana Ruiz",
    ),
    *cases("tags-label", "after", "Etiketler", "Mots-clés", "Parole chiave", "Stichwörter"),
    *cases(
        "subscription-pitch",
        "between",
        "Nouveau : découvrez nos offres Premium !",
        "Je m’abonne",
        "2 Wochen kostenlos testen",
        "Start your free trial today",
    ),
    *cases(
        "tools-apps-messengers",
        "between",
        "Order Reprints",
        "Read in app",
        "Join us on WhatsApp",
        "Get RSS feeds",
        "Mail the webmaster",
        "Send this article to Friends by E-Mail",
        "Staff and agencies",
    ),
    *cases(
        "ad-break-and-widgets",
        "between",
        "Story continues below advertisement",
        "Weiter nach der Anzeige",
        "La suite après cette publicité",
        "View this post on Instagram",
        "Was this article helpful? Yes No",
    ),
    *cases(
        "cookie-banner",
        "between",
        "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
        "Diese Webseite verwendet Cookies. Mit der Nutzung stimmen Sie der Datenschutzerklärung zu.",
        "Nous utilisons des cookies pour améliorer votre expérience. Acceptez-vous ?",
    ),
    *cases(
        "tip-prompt",
        "after",
        "Have a story tip? Email us at tips@harbour.example",
        "Got a news tip? Let us know.",
    ),
]

#: Prose that reads like one of the lines above: a rule that drops it is too wide.
ARTICLE_TEXT = [
    # labels with a word of prose between them: no row of controls
    *cases("control-row", "between", "Share the email with the harbour board before print."),
    *cases("cjk-dateline", "before", "2024年3月5日に港の桟橋の修理が決まった。"),
    *cases(
        "legal-notice",
        "after",
        "The union said the new contract reserved the right to strike for all crews who work "
        "the night ferry, a point the operator had long resisted.",
    ),
    *cases(
        "reprints-and-feeds",
        "after",
        "The harbour board said the old pier would be for personal use by the fishermen "
        "only, and that the ferry would need a new landing.",
    ),
    *cases(
        "reading-time",
        "before",
        "The ferry crossing takes 5 minutes.",
        "Read 5 minutes of the council tape.",
        "Lecture",
        "Reading time was cut to 10 minutes for the older pupils at the harbour school.",
    ),
    *cases(
        "comment-form-and-error-report",
        "after",
        "Auditors found an error in the pier budget and will report it to the board.",
    ),
    *cases("reader-count", "after", "The harbour webcam drew 9086 views."),
    *cases(
        "translator-credit",
        "after",
        "Translated by machine, the old letter read like a poem about the harbour.",
    ),
    *cases(
        "subscription-pitch",
        "between",
        "Readers can test the harbour app for 2 weeks free of charge, the office said.",
        "Leser können die Hafen-App 2 Wochen kostenlos testen, sagte das Amt.",
    ),
    *cases(
        "cookie-banner",
        "between",
        "We use cookies from the old harbour recipe, and customers agree they taste of the "
        "sea, the baker said.",
        "Regulators said the site uses cookies without asking, and the policy breaks the law.",
    ),
    *cases(
        "tip-prompt",
        "after",
        "Police said they had a tip about the boat and would send divers on Monday.",
    ),
]


@pytest.mark.parametrize(("where", "line"), NOT_ARTICLE_TEXT)
def test_a_line_that_is_no_article_text_is_dropped(where: str, line: str) -> None:
    assert kept(*around(line, where)) == [b.text for b in PROSE]


@pytest.mark.parametrize(("where", "line"), ARTICLE_TEXT)
def test_prose_that_reads_like_such_a_line_is_kept(where: str, line: str) -> None:
    blocks = around(line, where)
    assert kept(*blocks) == [b.text for b in blocks]


@pytest.mark.parametrize(
    ("line", "promo"),
    [
        ("LEES OOK DIT | Veerboot vaart weer vanaf mei", True),
        ("SOMA NAPHA: Isikebhe sibuyela ngoMeyi", True),
        ("NASA: the ferry of the stars", False),  # one word: an acronym or a name
    ],
)
def test_capital_lead_in_then_a_link_is_a_promo(line: str, promo: bool) -> None:
    rest = re.split(r"[|:]", line, maxsplit=1)[1].strip()  # the linked title
    block = Block("p", line, link_chars=len(rest), links=1)
    assert (kept(*PROSE, block) == [b.text for b in PROSE]) is promo


@pytest.mark.parametrize(
    ("line", "links", "promo"),
    [
        # the writer's own aside under a promo word: unlinked, two sentences
        (
            "Related: the ferry company's new boats did not fare well. Two of the three were "
            "back in the yard by June.",
            0,
            False,
        ),
        # the first sentence ends inside German quotation marks („…“)
        (
            "Siehe auch: Der Rat sagte: „Wir bauen die Mole neu.“ Die Arbeit beginnt im Mai.",
            0,
            False,
        ),
        # a teaser: a linked title after the lead-in
        ("Related: Ferry company orders three new boats", 1, True),
        # unlinked, but a single title-like line
        ("Read more: Ferry company orders three new boats.", 0, True),
    ],
)
def test_promo_lead_in_before_unlinked_prose_is_prose(line: str, links: int, promo: bool) -> None:
    rest = line.split(":", 1)[1].strip()
    block = Block("p", line, link_chars=len(rest) if links else 0, links=links)
    assert (kept(*PROSE, block) == [b.text for b in PROSE]) is promo


@pytest.mark.parametrize(
    "line",
    [
        "Previous story: Gulls return to the old pier",
        "Next article » Ferry fares rise in spring",
        "Nächster Artikel: Möwen kehren zurück",
    ],
)
def test_links_to_the_neighbouring_stories_are_dropped(line: str) -> None:
    title = re.split(r"[:»]", line)[-1].strip()  # the linked part
    block = Block("p", line, link_chars=len(title), links=1)
    assert kept(*PROSE, block) == [b.text for b in PROSE]
