"""The extractor's text tests (:mod:`scraper.extraction.text`)."""

from __future__ import annotations

import re

import pytest

from scraper.extraction.text import alternation, final_mark, fold, reads_as_code
from tests.scraper.extraction.test_layout import SCRIPT_AS_TEXT


@pytest.mark.parametrize(
    "text",
    [
        SCRIPT_AS_TEXT,
        "if (open && !closed) { ferry.depart(); } else { log.write('held') }",
        ".tip { position: absolute; left: -1000px; } .tip img { border: 0 }",
    ],
)
def test_a_program_reads_as_code(text: str) -> None:
    assert reads_as_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "The fare rose by a third (from four to five pounds) on the first of May.",
        "Harbour XI: Ekberg; Moss, Quinn, Adeyemi; Ruiz, Okafor (captain), Lund; Brandt.",
        "la marée = the tide; le quai = the quay; the rest of the glossary follows here.",
        "Timetables are at https://estuary.example/ferry?route=north&day=monday for all routes.",
        "夏の運航(第3便、予約制)は予定どおり行われました。",
        # Korean spaces its words, so the share of code words is counted here
        "오늘 새 페리 노선이 (북쪽, 3편) 예정대로 운항을 시작했습니다.",
        "E = mc2 appears in the museum's display about light on the old quay.",
    ],
)
def test_prose_with_a_formula_a_link_or_a_list_is_not_code(text: str) -> None:
    assert not reads_as_code(text)


@pytest.mark.parametrize(
    ("line", "mark"),
    [
        ('She asked: "Why now?"', "?"),
        ("It ended (as planned.)) ", "."),
        ("„Wirklich?“", "?"),
        ("Das war’s.« ", "."),
        ("本当ですか？」", "？"),
        ("A line without an end", "d"),
        ("  \u201d ", ""),
        ("", ""),
    ],
)
def test_final_mark_skips_closing_quotes_brackets_and_spaces(line: str, mark: str) -> None:
    assert final_mark(line) == mark


def test_an_alternation_matches_the_longest_phrase_and_takes_its_words_literally() -> None:
    pattern = re.compile(f"(?:{alternation(['read', 'read more', 'a.m.'])})")
    assert pattern.match("read more").group() == "read more"
    assert pattern.match("a.m.") is not None and pattern.match("axmx") is None


@pytest.mark.parametrize("space", ["\u200b ", "\u2009", "\u202f", "\xa0", "\u3000", "&nbsp;"])
def test_fold_reads_typographic_and_zero_width_spaces_as_one_space(space: str) -> None:
    assert fold(f" Ferry{space}returns ") == "Ferry returns"
