"""Bylines of Chinese, Japanese and Korean papers: names without capitals, job titles after
the name, credit labels before it. Invented names, one small fixture per rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.extraction.authors import clean_authors
from scraper.extraction.document import load
from scraper.extraction.metadata import Metadata, extract_metadata

NOW = datetime(2024, 6, 1, tzinfo=UTC)
STORY_ZH = "<p>" + "港口的新渡轮今天第一次开往对岸的小岛，许多居民在码头等候。" * 8 + "</p>"
STORY_KO = "<p>" + "항구의 새 여객선이 오늘 처음으로 건너편 섬까지 운항했다. " * 8 + "</p>"


def meta_of(body: str, title: str = "港口新渡轮首航") -> Metadata:
    html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    url = "https://harbour.example/news/ferry"
    return extract_metadata(load(html.encode(), url).tree, url, now=NOW)


@pytest.mark.parametrize("name", ["山本花子", "林小雨", "김하늘"])
def test_a_cjk_name_needs_no_capital(name: str) -> None:
    assert clean_authors([name]) == (name,)


def test_other_scripts_without_capitals_give_no_sign_of_a_name() -> None:
    # a section label or a site name would pass for a name: still refused
    assert clean_authors(["سالم حداد"]) == ()


def test_latin_names_still_need_a_capital() -> None:
    assert clean_authors(["read more"]) == ()
    assert clean_authors(["Jo Ek"]) == ("Jo Ek",)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("김하늘 기자", "김하늘"),
        ("김하늘기자", "김하늘"),
        ("周文博记者", "周文博"),
        ("中村一郎 特派員", "中村一郎"),
    ],
)
def test_a_job_title_after_a_cjk_name_is_dropped(value: str, name: str) -> None:
    assert clean_authors([value]) == (name,)


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("责编：林小雨、周文博", ("林小雨", "周文博")),
        ("责任编辑 林小雨", ("林小雨",)),
        ("记者周文博", ("周文博",)),
        ("文：林小雨", ("林小雨",)),
    ],
)
def test_a_cjk_label_before_the_names_is_dropped(value: str, names: tuple[str, ...]) -> None:
    assert clean_authors([value]) == names


def test_a_one_letter_label_needs_a_separator() -> None:
    # "文" is also a surname: glued to a name it is part of it
    assert clean_authors(["文在和"]) == ("文在和",)


@pytest.mark.parametrize(
    "value", ["海风社记者", "东方日报", "港湾新聞", "바다일보", "港湾ドットコム", "即时报道"]
)
def test_a_cjk_organisation_is_no_person(value: str) -> None:
    assert clean_authors([value]) == ()


def test_a_cjk_phrase_is_no_name() -> None:
    assert clean_authors(["항구의 새 여객선이 오늘 처음으로"]) == ()
    assert clean_authors(["港口的新渡轮今天第一次开往对岸的小岛"]) == ()


def test_a_chinese_editor_credit_line_names_the_editors() -> None:
    meta = meta_of(STORY_ZH + '<div class="edit">(责编：林小雨、周文博)</div>')
    assert meta.authors == ("林小雨", "周文博")


def test_a_korean_name_with_its_job_title_is_a_credit_line() -> None:
    body = STORY_KO + "<p>김하늘·박바다 기자 sky@harbour.example</p>"
    assert meta_of(body, "새 여객선 첫 운항").authors == ("김하늘", "박바다")


def test_a_korean_word_opening_with_the_job_title_is_no_credit() -> None:
    # "기자회견" (press conference) opens with the word for reporter
    body = "<p>김하늘 기자회견에서 말했다</p>" + STORY_KO
    assert meta_of(body, "새 여객선 첫 운항").authors == ()


def test_a_photo_credit_in_a_figure_is_no_byline() -> None:
    body = "<figure><img src=x.jpg><figcaption>记者 周文博</figcaption></figure>" + STORY_ZH
    assert meta_of(body).authors == ()


def test_credit_labels_are_read_only_on_cjk_pages() -> None:
    body = STORY_ZH + "<div>记者 周文博</div>"
    assert meta_of(body).authors == ("周文博",)
    assert meta_of(body, "Ferry sails again").authors == ()


def test_a_korean_author_meta_tag_loses_the_job_title() -> None:
    html = (
        '<html><head><title>새 여객선 첫 운항</title><meta name="author" content="김하늘 기자">'
        f"</head><body>{STORY_KO}</body></html>"
    )
    url = "https://harbour.example/news/ferry"
    assert extract_metadata(load(html.encode(), url).tree, url, now=NOW).authors == ("김하늘",)


@pytest.mark.parametrize("value", ["留言", "分享", "コメント", "댓글"])
def test_a_cjk_interface_word_is_no_name(value: str) -> None:
    assert clean_authors([value]) == ()
    assert clean_authors([f"林小雨、{value}"]) == ("林小雨",)


def test_a_credit_line_in_a_template_is_not_printed() -> None:
    # markup for scripts to fill in (another story's card) is not the page's text
    assert meta_of("<template>记者：王明</template>" + STORY_ZH).authors == ()
    # nor is it when the credit is the text of an element inside the template
    assert meta_of("<template><p>记者：王明</p></template>" + STORY_ZH).authors == ()


def test_a_credit_line_past_the_first_6000_elements_is_not_read() -> None:
    # a bound on the walk through huge pages
    filler = "<i></i>" * 6000
    assert meta_of(filler + "<p>记者：王明</p>" + STORY_ZH).authors == ()
