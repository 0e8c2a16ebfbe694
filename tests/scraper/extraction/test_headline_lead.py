"""The heading printed above the story's first paragraph (:mod:`.headline_lead`): a
headline for pages whose ``<title>`` names the site or a section, each rule with a
fixture of its own (invented pages)."""

from __future__ import annotations

from datetime import UTC, datetime

from scraper.extraction.document import load
from scraper.extraction.headline_lead import first_paragraph, lead, plausible_heading
from scraper.extraction.metadata import Metadata, extract_metadata
from scraper.extraction.page import Page

NOW = datetime(2024, 6, 1, tzinfo=UTC)
STORY = (
    "<p>The old ferry returned to the harbour pier on Monday morning after ten years away, "
    "and the town turned out to watch it dock. The pier was rebuilt last spring. "
    "Ferry crews said the crossing took forty minutes in calm water.</p>"
)
NAV = "<ul><li><a href=/a>Local</a></li><li><a href=/b>Sport</a></li></ul>"
HEADLINE = "Ferry returns to the harbour pier"


def meta_of(body: str, title: str = "", url: str = "https://paper.example/s?id=7") -> Metadata:
    head = f"<title>{title}</title>" if title else ""
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


def page_of(body: str) -> Page:
    return Page(load(f"<html><body>{body}</body></html>".encode(), None).tree, None)


def test_the_first_paragraph_is_prose_not_a_list_of_links() -> None:
    links = "<p>" + " ".join(f"<a href=/{n}>Another story number {n}.</a>" for n in range(9))
    found = first_paragraph(page_of(f"{links}</p>{STORY}"))
    assert found is not None and found[1].startswith("The old ferry returned")


def test_a_title_that_names_the_site_gives_way_to_the_heading_above_the_story() -> None:
    body = f"{NAV}<h3>Sections</h3>{NAV}<h3>{HEADLINE}</h3>{STORY}"
    meta = meta_of(body, "The Valley Evening Courier")
    assert meta.headline == HEADLINE


def test_a_page_without_title_or_marked_headline_takes_the_heading_above_the_story() -> None:
    body = f"{NAV}<table><tr><td><b>{HEADLINE}</b><br></td></tr></table>{STORY}"
    assert meta_of(body).headline == HEADLINE


def test_a_byline_between_headline_and_story_is_passed_over() -> None:
    body = f"<h2>{HEADLINE}</h2><div><b>By Jo Ekberg</b></div>{STORY}"
    assert meta_of(body).headline == HEADLINE


def test_a_label_and_a_dated_line_are_passed_over() -> None:
    body = f"<h2>{HEADLINE}</h2><h4>Related articles</h4><h4>2008-01-08 09:07</h4>{STORY}"
    assert meta_of(body).headline == HEADLINE


def test_a_headline_opening_the_storys_own_cell() -> None:
    cell = STORY[3:-4]
    body = (
        f"{NAV}<table><tr><td><span class=headline>{HEADLINE}</span><br>"
        f"<span class=date>14/01/2008</span><br>{cell}</td></tr></table>"
    )
    assert meta_of(body, "Valley Evening Courier").headline == HEADLINE


def test_a_standfirst_sentence_is_no_headline() -> None:
    assert not plausible_heading(
        "The old ferry returned to the harbour pier on Monday after ten years away."
    )
    assert plausible_heading(HEADLINE)


def test_a_heading_with_a_script_inside_is_not_read() -> None:
    body = f"<h2>{HEADLINE}</h2><div class=title><script>var slot = 'the advert goes here'</script></div>{STORY}"
    found = lead(page_of(body))
    assert found is not None and found.heading == HEADLINE


def test_an_unrelated_heading_does_not_beat_a_real_title() -> None:
    body = f"<h3>Most read this week on the site</h3>{STORY}"
    meta = meta_of(body, "Ferry back at the harbour pier")
    assert meta.headline == "Ferry back at the harbour pier"


def test_a_dateline_is_no_headline() -> None:
    assert not plausible_heading("Harbour Weekly - January 14, 2008")
    assert not plausible_heading("Harbour Weekly, 14. Januar 2008")
    assert plausible_heading("Ferry timetable for 2008 is out")


def test_a_short_first_paragraph_counts_as_the_storys_opening() -> None:
    # the heading shares no word with the long paragraph, only with the short one above it
    body = (
        "<h2>Dowson out for eight weeks</h2><div>Winger Sam Dowson is out with a knee injury.</div>"
        "<div>He had to be carried off after an hour and will miss the next cup games against "
        "the league leaders, the coaching staff told reporters at the ground on Sunday.</div>"
    )
    meta = meta_of(body, "Rugby news, results, reports, fixtures, tables")
    assert meta.headline == "Dowson out for eight weeks"


def test_the_heading_above_the_story_beats_an_unconfirmed_first_h1_on_a_tie() -> None:
    # both share one word with the story; the h1 is another story's teaser
    body = f"{NAV}<h3>Ferry back in service</h3>{STORY}<h1>Harbour tax rise approved by the council</h1>"
    assert meta_of(body).headline == "Ferry back in service"


def test_a_first_h1_printed_above_a_subtitle_keeps_its_place_on_a_tie() -> None:
    # both share one word with the story; the h1 heads the subtitle
    body = f"<h1>Ferry comes back</h1><h2>Crossing draws crowds</h2>{STORY}"
    assert meta_of(body).headline == "Ferry comes back"


def test_a_section_name_printed_as_heading_gives_way_on_a_page_declaring_no_title() -> None:
    # "Local Wire" agrees with <title>, but the page declares no title (no og, no JSON-LD)
    body = f"<h1>Local Wire</h1><h2>{HEADLINE}</h2>{STORY}"
    meta = meta_of(body, "harbourpost.example - Local Wire", "https://harbourpost.example/s/1")
    assert meta.headline == HEADLINE


def test_a_short_headline_keeps_its_place_over_a_subtitle_sharing_one_word_more() -> None:
    body = f"<h1>Ferry comes back</h1><h2>Monday crossing draws crowds</h2>{STORY}"
    meta = meta_of(
        body, "harbourpost.example - Ferry comes back", "https://harbourpost.example/s/1"
    )
    assert meta.headline == "Ferry comes back"


def test_the_first_paragraph_is_not_in_the_page_header_or_a_sidebar_widget() -> None:
    about = (
        "<p>" + "This blog is about harbours and the boats that use them every day. " * 3 + "</p>"
    )
    for wrapper in ('<div id="header">', '<div class="widget text">', "<aside>"):
        closing = "</aside>" if wrapper == "<aside>" else "</div>"
        found = first_paragraph(page_of(f"{wrapper}{about}{closing}{STORY}"))
        assert found is not None and found[1].startswith("The old ferry returned"), wrapper


def test_a_label_with_a_colon_is_no_headline() -> None:
    assert not plausible_heading("Tags: Harbour, Ferries")
    assert not plausible_heading("Related articles: ferry news")
    assert plausible_heading("Harbour: Ferry returns after ten years")


def test_two_sentences_are_a_standfirst_not_a_headline() -> None:
    assert not plausible_heading(
        "Ferries are back in the harbour after ten years and crowds came.Photograph: Jo Ek"
    )
    assert plausible_heading("U.S. ferry line returns to the old harbour pier after ten long years")


def test_a_heading_marked_as_the_headline_beats_a_nearer_subheadline() -> None:
    body = (
        f"<span class=headline>{HEADLINE}</span><br>"
        f"<span class=subheadline>Jo Ekberg</span><br>{STORY}"
    )
    meta = meta_of(body, "Harbour Radio - News Talk")
    assert meta.headline == HEADLINE


def test_a_credit_line_above_the_story_is_no_heading() -> None:
    # "name, agency; paper" set in a heading's type: a byline without a label
    credit = "Jo Ekberg, Coastline News Service; Harbour Post"
    assert not plausible_heading(credit)
    assert plausible_heading("Ferry, Pier Reopen; Town Cheers")  # a headline of parts
    body = f"{NAV}<h3>{HEADLINE}</h3><h4>{credit}</h4>{STORY}"
    meta = meta_of(body, "Harbour Post")
    assert meta.headline == HEADLINE


def test_an_interview_question_in_bold_is_passed_over_for_the_heading_above() -> None:
    interview = (
        f"<h2>{HEADLINE}</h2><p>We asked the skipper about the return.</p><blockquote>"
        "<p><strong>What did you feel when the ferry came back?</strong></p>"
        f"{STORY}</blockquote>"
    )
    found = lead(page_of(interview))
    assert found is not None and found.heading == HEADLINE


def test_a_section_name_marked_as_the_headline_is_printed_above_the_heading() -> None:
    # marked as the headline but no plausible one ("NEWS"): the nearer heading stays
    found = lead(page_of(f"<h2 class=headline>NEWS</h2><h3>{HEADLINE}</h3>{STORY}"))
    assert found is not None and found.heading == HEADLINE
    assert "news" in found.above


def test_a_headline_opening_the_story_s_cell_after_twenty_inline_elements_is_not_read() -> None:
    # a bound on the inline elements read at the start of the paragraph
    def cell(opening: str) -> str:
        return (
            f"<h3>Harbour Post</h3><table><tr><td>{opening}<span class=headline>{HEADLINE}"
            f"</span><br>{STORY[3:-4]}</td></tr></table>"
        )

    assert lead(page_of(cell(""))).heading == HEADLINE  # type: ignore[union-attr]
    found = lead(page_of(cell('<a name="top"></a>' * 20)))
    assert found is not None and found.heading == "Harbour Post"
