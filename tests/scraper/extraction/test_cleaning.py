"""Each body-cleaning rule, on the self-written messy article and on small block lists."""

from __future__ import annotations

import pytest

from scraper.extraction import Extraction, extract
from scraper.extraction.body import Block
from scraper.extraction.cleaning import PageContext, clean_blocks

from .conftest import page

STORY_PARAGRAPHS = [
    "The city council on Wednesday approved a plan to turn the abandoned freight yard",
    "Council members voted seven to two in favour of the plan",
    "A decade of debate over the freight yard",
    "The yard has been empty since the rail company moved its operations inland",
    '"This is the best use of the riverfront for the people who actually live here,"',
    "The plan includes:",
    "a two mile walking and cycling path along the water",
    "a playground designed with local schools",
    "an open air stage for summer concerts",
    "Construction is expected to begin next spring",
]


def test_story_paragraphs_subheadings_quotes_and_lists_stay_in_order(messy: Extraction) -> None:
    paragraphs = messy.paragraphs
    assert len(paragraphs) == len(STORY_PARAGRAPHS)
    for paragraph, expected in zip(paragraphs, STORY_PARAGRAPHS, strict=True):
        assert paragraph.startswith(expected)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (
            "headline is a field, not the first line",
            "City Council Approves New Riverside Park Plan",
        ),
        ("standfirst is a field, not a body line", "The council voted seven to two for a park"),
        ("byline leftover", "Updated"),
        ("byline leftover", "Portrait of Maria Lopez"),
        ("byline leftover", "Listen to this article"),
        ("byline", "By Maria Lopez"),
        ("share bar", "Share on X"),
        ("caption with credit", "(Image via Harbor Archive)"),
        ("image alt text", "The old freight yard seen from the bridge"),
        ("photo credit line", "Photo: Harbor Gazette staff"),
        ("advertisement label", "Advertisement"),
        ("in-body promo", "Also Read"),
        ("in-body promo", "Bridge repairs to close two lanes"),
        ("in-body promo", "READ MORE"),
        ("newsletter box", "Sign up for our newsletter"),
        ("tag list lead-in", "Topics:"),
        ("tag list", "Parks Council River"),
        ("trending list", "Trending Now"),
        ("trending list", "Harbor FC wins the cup final"),
        ("latest stories", "Latest Stories"),
        ("author bio", "Maria Lopez is a city reporter"),
        ("footer", "All rights reserved"),
    ],
)
def test_boilerplate_is_removed(messy: Extraction, rule: str, text: str) -> None:
    assert text not in messy.body, rule


def test_headline_and_description_are_fields(messy: Extraction) -> None:
    assert messy.headline == "City Council Approves New Riverside Park Plan"
    assert messy.description and messy.description.startswith("The council voted seven to two")


def test_notes_explain_what_was_dropped(messy: Extraction) -> None:
    dropped = {n.split("=")[0] for n in messy.notes if n.startswith("dropped:")}
    assert {"dropped:label", "dropped:promo", "dropped:headline", "dropped:standfirst"} <= dropped


def test_description_that_is_the_first_paragraph_stays() -> None:
    # a description copied from the first paragraph is not a standfirst: no markup says so
    html = (
        "<html><head><meta name='description' content='The first paragraph of the story is long enough to count here.'></head>"
        "<body><article><h1>A story</h1><p>The first paragraph of the story is long enough to count here.</p>"
        "<p>The second paragraph of the story follows it and adds some more detail to the account.</p>"
        "<p>A third paragraph closes the story with a quote from someone who was there at the time.</p></article></body></html>"
    )
    result = extract(html, "https://example.org/story")
    assert result.paragraphs[0].startswith("The first paragraph")


def test_first_paragraph_styled_as_lead_stays_in_the_body() -> None:
    first = "The first paragraph of the story carries a lead class and repeats the description."
    html = (
        f"<html><head><meta name='description' content='{first}'></head>"
        f"<body><article><h1>A story</h1><p class='article-lead'>{first}</p>"
        "<p>The second paragraph of the story follows it and adds some more detail to the account.</p>"
        "<p>A third paragraph closes the story with a quote from someone who was there at the time.</p>"
        "</article></body></html>"
    )
    assert extract(html, "https://example.org/story").paragraphs[0] == first


def test_standfirst_outside_the_paragraphs_is_still_a_field() -> None:
    dek = "A standfirst sits under the headline in its own box, apart from the story text."
    html = (
        f"<html><head><meta name='description' content='{dek}'></head>"
        f"<body><article><header><h1>A story</h1><p class='dek'>{dek}</p></header><div>"
        "<p>The first paragraph of the story follows the header and tells what happened there.</p>"
        "<p>The second paragraph of the story follows it and adds some more detail to the account.</p>"
        "</div></article></body></html>"
    )
    assert dek not in extract(html, "https://example.org/story").body


#: A paragraph of prose that every rule must keep.
PROSE = Block("p", "A paragraph of the story itself, long enough to be prose and kept as such.")


def _blocks_kept(*blocks: Block) -> list[str]:
    return [b.text for b in clean_blocks(list(blocks), PageContext()).blocks]


@pytest.mark.parametrize(
    "label", ["Don't miss", "DON’T MISS", "Read also", "Lees ook", "Läs också"]
)
def test_labels_match_whatever_the_apostrophe(label: str) -> None:
    assert _blocks_kept(Block("p", label), PROSE) == [PROSE.text]


def test_bracket_tagged_teaser_link_is_dropped_but_prose_with_brackets_is_not() -> None:
    teaser = Block("p", "Storm closes the coast road for a week [VIDEO]", link_chars=38, links=1)
    quote = Block("p", "He said the road [SIC] would reopen soon, as the council had promised.")
    assert _blocks_kept(teaser, quote) == [quote.text]


@pytest.mark.parametrize(
    "line",
    [
        "DON'T MISS: Storm closes the coast road for a week",
        "Lesen Sie auch: Sturm sperrt die Küstenstraße",
        "Leia também: Tempestade fecha a estrada costeira",
        "Czytaj także: Burza zamyka drogę nadmorską",
    ],
)
def test_read_also_promos_in_several_languages(line: str) -> None:
    assert _blocks_kept(Block("p", line), PROSE) == [PROSE.text]


@pytest.mark.parametrize(
    "notice",
    [
        "Anyone using this site accepts the Terms of Use of the Harbour Post.",
        "By reading on you agree that use of this website is governed by its user agreement.",
        "Mit der Nutzung dieser Webseite akzeptieren Sie unsere Datenschutzerklärung.",
        "Our terms and conditions apply to every reader: see them before using this website.",
    ],
)
def test_the_sites_own_terms_notice_is_dropped(notice: str) -> None:
    assert _blocks_kept(PROSE, Block("p", notice)) == [PROSE.text]


def test_a_story_about_terms_of_service_keeps_its_sentences() -> None:
    sentence = (
        "The ferry company said the booking site had broken its terms of service, and the "
        "app was removed on Friday."
    )
    assert _blocks_kept(PROSE, Block("p", sentence)) == [PROSE.text, sentence]


def test_split_article_body_is_merged() -> None:
    result = extract(page("split_body.html"), "https://travel.example/night-train")
    assert "Night trains are coming back" in result.body
    assert "The biggest obstacle remains the cost of rolling stock" in result.body
    assert "Advertisement" not in result.body
    assert any(n.startswith("merged-body-parts") for n in result.notes)


def _kept(blocks: list[Block], context: PageContext | None = None) -> list[str]:
    return [b.text for b in clean_blocks(blocks, context or PageContext()).blocks]


def test_link_dense_story_link_is_dropped_but_a_linked_word_in_prose_is_not() -> None:
    prose = (
        "The report, published by the agency on Monday, found that traffic had doubled in a decade."
    )
    blocks = [
        Block("p", prose, link_chars=6, links=1),
        Block("p", "Five things to know about the new bridge toll", link_chars=45, links=1),
    ]
    assert _kept(blocks) == [prose]


def test_orphaned_lead_in_is_dropped_only_when_its_content_is_gone() -> None:
    lead = "Here is what the minister said:"
    quote = (
        "We will not raise taxes this year, and we will protect the health budget from any cuts."
    )
    assert _kept([Block("p", lead), Block("quote", quote)]) == [lead, quote]
    assert _kept([Block("p", quote), Block("p", "Related topics:")]) == [quote]


def test_credit_rule_keeps_parenthesised_prose() -> None:
    text = (
        "The mayor (who took office in 2019) said the works would start soon and finish next year."
    )
    assert _kept([Block("p", text)]) == [text]


def test_multilingual_labels() -> None:
    story = "Der Stadtrat hat am Mittwoch den Plan für den neuen Park am Fluss mit großer Mehrheit beschlossen."
    blocks = [
        Block("p", "Anzeige"),
        Block("p", story),
        Block("p", "Lesen Sie auch: Neue Brücke eröffnet"),
    ]
    assert _kept(blocks) == [story]


@pytest.mark.parametrize(
    "tool", ["Printer friendly", "Print article", "Refer to a friend", "Artikel drucken"]
)
def test_article_tool_labels_are_dropped(tool: str) -> None:
    story = "The ferry returned to service on Monday after a month of repairs to its engines."
    assert _kept([Block("p", story), Block("p", tool)]) == [story]


def test_labelled_list_of_links_between_bars_is_a_link_list() -> None:
    story = "The ferry returned to service on Monday after a month of repairs to its engines."
    links = ["Boat Reviews", "Yard News", "Ferry Times"]
    line = "More Harbour: " + " | ".join(links)
    block = Block("p", line, link_chars=sum(len(x) for x in links), links=3)
    assert _kept([Block("p", story), block]) == [story]
    # the same label before a list with commas is left alone ("Files: a.js, b.js")
    files = ["tide.js", "moon.js"]
    listing = Block("p", "Source files: " + ", ".join(files), link_chars=14, links=2)
    assert _kept([Block("p", story), listing]) == [story, listing.text]


def test_menu_between_bars_without_a_label_is_a_link_list() -> None:
    story = "The ferry returned to service on Monday after a month of repairs to its engines."
    items = ["Home", "Ferries", "Harbour Cams", "Tide Tables", "Weather", "Boat Sales", "Jobs"]
    items += ["Events", "Clubs", "Moorings", "Fishing", "Letters", "Photos", "Contact Us"]
    menu = " | ".join(items)  # more than 30 words if its bars are counted as words
    crumbs = ["Harbour Times", "Ferries", "Timetables"]
    trail = " » ".join(crumbs) + " »"
    blocks = [
        Block("p", story),
        Block("p", menu, link_chars=sum(len(x) for x in items), links=len(items)),
        Block("p", trail, link_chars=sum(len(x) for x in crumbs), links=3),
        # the same menu laid out as a table's row, a link in every cell
        Block("row", " | ".join(items[:5]), link_chars=sum(len(x) for x in items[:5]), links=5),
    ]
    assert _kept(blocks) == [story]
    # bars in a line whose links are a small part of it: the writer's own
    fares = "Crossings: North 12 | South 9 | Night 2, see the timetable and fares"
    line = Block("p", fares, link_chars=len("timetable") + len("fares"), links=2)
    assert _kept([Block("p", story), line]) == [story, fares]


def test_run_of_short_linked_lines_is_a_link_list() -> None:
    story = "The festival drew a record crowd this year, with more than forty thousand visitors over three days."
    tags = [Block("p", f"festival tag {i},", link_chars=14, links=1) for i in range(4)]
    assert _kept([Block("p", story), *tags]) == [story]
    # two linked lines alone are not enough evidence
    assert _kept([Block("p", story), *tags[:2]]) == [story, *(t.text for t in tags[:2])]


def test_menu_group_headings_between_its_links_go_with_the_menu() -> None:
    story = "The boat show drew a record crowd this year, with more than forty thousand visitors over three days."

    def linked(text: str) -> Block:
        return Block("p", text, link_chars=len(text), links=1)

    menu = [
        linked("New Boats"),
        Block("head", "New Boats By Yard"),
        linked("Find New Boats"),
        linked("Boat Reviews"),
        Block("head", "Featured Reviews"),
        linked("All Reviews"),
    ]
    assert _kept([*menu, Block("p", story)]) == [story]
    # a subheading of the story after one linked line stays
    section = Block("head", "What the visitors said")
    assert _kept([linked("Boat Reviews"), section, Block("p", story)]) == [
        "Boat Reviews",
        section.text,
        story,
    ]


def test_embedded_post_text_stays_in_the_body() -> None:
    paras = "".join(
        f"<p>Paragraph {i}: reactions to the decision came quickly from fans and players on Tuesday evening.</p>"
        for i in range(10)
    )
    html = (
        "<html><body><article><h1>Reactions pour in</h1>"
        + paras
        + '<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">What a day for the club, '
        'thank you to every single supporter who came. <a href="https://t.co/x">https://t.co/x</a></p>'
        "&mdash; A Player (@aplayer) <a href='https://twitter.com/x'>May 1, 2023</a></blockquote>"
        '<script async src="https://platform.twitter.com/widgets.js"></script></div>'
        + paras.replace("Paragraph", "Section")
        + "</article></body></html>"
    )
    result = extract(html, "https://club.example/news/reactions")
    assert "thank you to every single supporter" in result.body


@pytest.mark.parametrize(
    "hidden",
    [
        "<p hidden>{text}</p>",
        '<div role="dialog"><p>{text}</p></div>',
        '<div class="email-wrap"><p class="hide">{text}</p></div>',
        '<div class="modal"><p>{text}</p></div>',
    ],
)
def test_hidden_dialogs_are_not_body_text(hidden: str) -> None:
    story = " ".join(
        f"Sentence {i} of the visible story about the new library opening downtown."
        for i in range(8)
    )
    text = "This article has been sent to your friend, thank you for sharing it with them."
    html = (
        f"<html><body><article><h1>Library opens</h1><p>{story}</p>{hidden.format(text=text)}"
        f"<p>{story.replace('Sentence', 'Line')}</p></article></body></html>"
    )
    result = extract(html, "https://library.example/opens")
    assert "Sentence 0 of the visible story" in result.body
    assert "has been sent to" not in result.body


def test_breadcrumbs_before_the_title_inside_the_body_are_dropped() -> None:
    story = (
        "The county will repave the main road next month, closing one lane at a time for two weeks."
    )
    blocks = [
        Block("p", "News>"),
        Block("p", "Nation"),
        Block("head", "Road works start in May"),
        Block("p", story),
    ]
    context = PageContext(
        headline="Road works to start in May", titles=("Road works start in May",)
    )
    assert _kept(blocks, context) == [story]


def test_another_h1_after_the_body_has_begun_is_a_section_heading() -> None:
    # pages that mark every section with <h1> list them all among the page's titles: the
    # headline goes wherever it opens the body, a section heading after the first
    # paragraph stays
    intro = "This page lists the crossings that run from November to March and their fares."
    context = PageContext(
        headline="Winter ferry timetable", titles=("Winter ferry timetable", "Fares and tickets")
    )
    blocks = [
        Block("head", "Winter ferry timetable"),
        Block("p", intro),
        Block("head", "Fares and tickets"),
        Block("p", PROSE.text),
    ]
    assert _kept(blocks, context) == [intro, "Fares and tickets", PROSE.text]
    # before any paragraph, a title that is not the headline still opens no body
    assert _kept([Block("head", "Fares and tickets"), PROSE], context) == [PROSE.text]


@pytest.mark.parametrize(
    "line",
    [
        "Want the week's harbour stories delivered to your inbox on Sundays? Subscribe to our newsletter.",
        "Follow The Valley Times Opinion section on Facebook, Twitter and Instagram.",
        "If you enjoyed this article, we have a proposition for you: join our members' club.",
        "webteam@valley.example",
    ],
)
def test_calls_to_action_are_dropped(line: str) -> None:
    story = (
        "The county will repave the main road next month, closing one lane at a time for two weeks."
    )
    assert _kept([Block("p", story), Block("p", line)]) == [story]


def test_short_line_repeated_down_the_body_is_dropped() -> None:
    prose = [
        Block("p", f"Paragraph {i} of the story, long enough to be prose and different each time.")
        for i in range(4)
    ]
    placeholder = Block("p", "This embedded content is unavailable with your privacy settings.")
    blocks = [prose[0], placeholder, prose[1], placeholder, prose[2], placeholder, prose[3]]
    assert _blocks_kept(*blocks) == [p.text for p in prose]
    # twice is not enough: a story may quote a line twice
    assert len(_blocks_kept(prose[0], placeholder, prose[1], placeholder)) == 4
    # many lines repeating is the story's structure (the same list under each heading)
    items = [Block("p", f"Step {i} of the routine") for i in range(3)]
    structured = [b for _ in range(3) for b in (prose[0], *items)]
    assert len(_blocks_kept(*structured)) == len(structured)


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Jane Doe/Getty Images", True),
        ("STR/AFP via Getty Images", True),
        ("Photo agency pool / Reuters", True),
        ("The minister flew home via Reuters Square after the talks ended.", False),
    ],
)
def test_agency_photo_credit_lines(line: str, credit: bool) -> None:
    kept = _blocks_kept(Block("p", line), PROSE)
    assert (line not in kept) is credit


def test_a_credit_line_opening_the_body_is_a_byline() -> None:
    prose = (
        "The old ferry returned to the harbour pier on Monday morning after ten years away. " * 3
    )
    blocks = [
        Block("p", "Jo Ekberg, Coastline News Service; Harbour Post"),
        Block("p", prose.strip()),
    ]
    assert [b.text for b in clean_blocks(blocks, PageContext()).blocks] == [prose.strip()]


def test_the_headline_with_the_sites_name_after_it_does_not_open_the_body() -> None:
    story = "The county will repave the main road next month, closing one lane at a time."
    context = PageContext(headline="Road works on the main road start in May")
    blocks = [Block("p", "Road works on the main road start in May | Valley Times")]
    assert _kept([*blocks, Block("p", story)], context) == [story]


def test_the_headline_after_dropped_teasers_still_does_not_open_the_body() -> None:
    # the content extractor took a column of teasers with the story: once they are dropped,
    # the headline opens what is left
    teasers = "".join(
        f"<div class='teaser'><h3><a href='/n{i}'>Another story about the harbour and its "
        f"history, number {i}</a></h3><p>A short teaser for another story, number {i}.</p></div>"
        for i in range(8)
    )
    story = [
        "The council voted on Tuesday to close the old ferry terminal after a decade of "
        "falling passenger numbers and rising repair bills.",
        "Members said the decision was painful but that the harbour could no longer carry "
        "the cost of a building used by fewer than a hundred people a day.",
    ]
    html = (
        "<html><head><title>Ferry terminal to close | Harbour Times</title></head><body>"
        f"<div>{teasers}<div><h1>Ferry terminal to close</h1>"
        + "".join(f"<p>{p}</p>" for p in story)
        + "</div></div></body></html>"
    )
    result = extract(html, "https://harbour.example/news/ferry")
    assert result.headline == "Ferry terminal to close"
    assert result.body.split("\n\n") == story


def test_a_line_without_words_is_no_placeholder_standfirst() -> None:
    # a description of dots (a form left blank) and a section break of stars have no words:
    # they are not the same text, and the break stays
    story = "The county will repave the main road next month, closing one lane at a time."
    more = "Drivers are asked to use the ring road while the work goes on, the engineer said."
    blocks = [Block("p", story), Block("head", "* * *"), Block("p", more)]
    assert _kept(blocks, PageContext(standfirsts=("...",))) == [story, "* * *", more]


def test_a_long_sentence_made_of_two_links_is_prose_not_a_link_list() -> None:
    first = "the council's report on the state of the old harbour walls and what mending them costs"
    second = "the minutes of the meeting at which the report was first read out to the public"
    text = f"Read {first}, and {second}."
    linked = Block("p", text, link_chars=len(first) + len(second), links=2)
    assert linked.words > 30 and linked.link_density >= 0.8
    assert _blocks_kept(PROSE, linked) == [PROSE.text, text]


def test_a_short_line_naming_the_author_opens_no_body() -> None:
    line = Block("p", "Jo Ekberg in Harbour Town")
    assert _kept([line, PROSE], PageContext(authors=("Jo Ekberg",))) == [PROSE.text]
    assert _kept([line, PROSE]) == [line.text, PROSE.text]  # no author known: a place line


def test_a_short_by_line_opens_no_body_but_a_sentence_beginning_with_by_does() -> None:
    assert _blocks_kept(Block("p", "By the harbour desk"), PROSE) == [PROSE.text]
    sentence = "By the time the ferry arrived, the pier was full."
    assert _blocks_kept(Block("p", sentence), PROSE) == [sentence, PROSE.text]


def test_a_paragraph_repeating_a_figures_caption_is_dropped() -> None:
    # the caption printed under the photo and again in the text column
    caption = "The new ferry at the old pier on Monday"
    story = [
        f"Paragraph {i} of the story tells how the ferry came back to the old pier this week."
        for i in range(4)
    ]
    html = (
        "<html><body><article><h1>Ferry restored</h1><figure><img src='/ferry.jpg'>"
        f"<figcaption>{caption}</figcaption></figure>"
        + "".join(f"<p>{p}</p>" for p in story[:2])
        + f"<p>{caption}</p>"
        + "".join(f"<p>{p}</p>" for p in story[2:])
        + "</article></body></html>"
    )
    result = extract(html, "https://harbor.example/ferry")
    assert result.paragraphs == story
    assert "dropped:caption=1" in result.notes
