"""Tag lists (:mod:`scraper.extraction.tag_lists`): what a story is filed under is not
what it says."""

from __future__ import annotations

from lxml.html import fromstring

from scraper.extraction import extract
from scraper.extraction.tag_lists import drop_tag_lists
from tests.scraper.extraction.test_dom import paragraphs, story


def _tags(*names: str, rel: bool = True) -> list[str]:
    attr = " rel='tag'" if rel else ""
    return [f"<a href='/topics/{n.lower()}'{attr}>{n}</a>" for n in names]


def test_a_date_and_tag_line_after_the_story_is_not_body() -> None:
    texts = story("Filed", 5)
    line = "Published: May 3rd, 2024 | Tags: " + ", ".join(
        _tags("Ferries", "Estuary Crossings", "Harbour Works")
    )
    html = (
        "<html><body><article><h1>Ferry restored</h1>"
        f"{paragraphs(texts)}<p class='post-info'>{line}</p></article></body></html>"
    )
    result = extract(html, "https://estuary.example/ferry")
    assert result.paragraphs == texts
    assert "tag-lists:1" in result.notes


def test_a_long_label_before_the_tags_goes_with_them() -> None:
    tree = fromstring(
        "<html><body><div><p>This story was filed with the following keywords: "
        f"{' '.join(_tags('Tides', 'Quays', 'Ferries', rel=False))}</p></div></body></html>"
    )
    assert drop_tag_lists(tree) == 1
    assert tree.find(".//p") is None


def test_a_line_of_tag_links_in_a_large_container_goes_with_its_label() -> None:
    prose = " ".join(story("Contained", 2))
    tree = fromstring(
        f"<html><body><div id='page'><p>{prose}</p><div>Tags:</div>"
        f"{''.join(_tags('Tides', 'Quays'))}<br><p>{prose}</p></div></body></html>"
    )
    assert drop_tag_lists(tree) == 1
    page = tree.get_element_by_id("page")
    assert page.find("a") is None
    assert page.findall("p")[0].text == prose and page.findall("p")[1].text == prose


def test_topic_links_inside_a_sentence_stay() -> None:
    sentence = (
        f"{_tags('Turkey')[0]}, {_tags('Poland')[0]} and the northern islands were taken "
        "off the list of crossings that need a permit, the harbour office said on Monday."
    )
    crumbs = f"Home &gt; {', '.join(_tags('News', 'Local'))} &gt; Ferry restored"
    tree = fromstring(
        f"<html><body><div><p>{sentence}</p><div class='crumbs'>{crumbs}</div>"
        f"<div>The story goes on. {''.join(_tags('Tides', 'Quays'))} and more words after "
        "the links in the same line.</div></div></body></html>"
    )
    before = tree.text_content()
    assert drop_tag_lists(tree) == 0
    assert tree.text_content() == before


def test_a_lone_topic_link_is_no_tag_list() -> None:
    # a kicker above the headline and a topic link under the story: one tag link each
    texts = story("Kicked", 3)
    tree = fromstring(
        "<html><body><article><div class='kicker'>"
        f"{_tags('Ferries')[0]}</div><h1>Ferry restored</h1>{paragraphs(texts)}"
        f"<p>{_tags('Tides')[0]}</p></article></body></html>"
    )
    assert drop_tag_lists(tree) == 0
    assert tree.find(".//div[@class='kicker']/a") is not None
    assert tree.findall(".//p/a")


def test_a_line_of_tag_links_opening_a_large_container_goes_with_its_label() -> None:
    prose = " ".join(story("Opened", 2))
    tree = fromstring(
        f"<html><body><div id='page'>Tags: {', '.join(_tags('Tides', 'Quays'))}<br>"
        f"<p>{prose}</p><p>{prose}</p></div></body></html>"
    )
    assert drop_tag_lists(tree) == 1
    page = tree.get_element_by_id("page")
    assert page.find("a") is None
    assert "Tags" not in page.text_content()  # the label went with the links
    assert page.text is None  # and the separators between them
