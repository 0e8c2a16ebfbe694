"""Change classification: pure cases, and what record_page stores on both databases."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.articles import get_article, list_versions, record_page
from storage.changes import classify_change, find_notes
from storage.versioning import VersionFields

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

BODY = "\n\n".join(
    [
        "The city council voted on Tuesday to close the old harbour bridge for repairs "
        "that engineers say are long overdue.",
        "Traffic will be diverted through the eastern ring road for at least six months, "
        "the council said in a statement.",
        "Shop owners near the bridge warned that the closure would cost them customers "
        "during the busy summer season.",
    ]
)


def fields(**kw: object) -> VersionFields:
    base = VersionFields(
        headline="Harbour bridge to close for repairs",
        authors=("Anna Berg", "Tom Lee"),
        published_at=T0,
        modified_at=None,
        description="The council votes to close the bridge.",
        language="en",
        body=BODY,
        extractor="test-1",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_identical_versions_change_nothing() -> None:
    assert classify_change(fields(), fields()) == {"kinds": []}


def test_headline_change() -> None:
    result = classify_change(fields(), fields(headline="Harbour bridge closed for a year"))
    assert result["kinds"] == ["headline"]
    assert result["headline"] == {
        "old": "Harbour bridge to close for repairs",
        "new": "Harbour bridge closed for a year",
    }


def test_headline_whitespace_is_not_a_change() -> None:
    assert (
        classify_change(fields(), fields(headline="  Harbour  bridge to close for repairs "))[
            "kinds"
        ]
        == []
    )


def test_byline_added_and_removed_names() -> None:
    result = classify_change(fields(), fields(authors=("anna berg", "Maria Santos")))
    assert result["kinds"] == ["byline"]
    assert result["byline"] == {"added": ["Maria Santos"], "removed": ["Tom Lee"]}


def test_dates_changed() -> None:
    new = fields(published_at=T0 + timedelta(hours=1), modified_at=T0 + timedelta(hours=2))
    result = classify_change(fields(), new)
    assert result["kinds"] == ["dates"]
    assert result["dates"]["published_at"] == {
        "old": "2026-03-01T08:00:00+00:00",
        "new": "2026-03-01T09:00:00+00:00",
    }
    assert result["dates"]["modified_at"]["old"] is None


def test_body_words_added_and_removed() -> None:
    new_body = BODY.replace("at least six months", "at least nine long months")
    result = classify_change(fields(), fields(body=new_body))
    assert result["kinds"] == ["body"]
    body = result["body"]
    assert (body["words_added"], body["words_removed"]) == (2, 1)
    assert 0 < body["share"] < 0.1


def test_correction_note_appears() -> None:
    note = "Correction: An earlier version of this article misstated the length of the closure."
    result = classify_change(fields(), fields(body=BODY + "\n\n" + note))
    assert result["kinds"] == ["body", "correction"]
    assert result["notes"] == [{"kind": "correction", "text": note}]


def test_note_already_present_does_not_appear_again() -> None:
    note = "Update: The council has published the repair schedule."
    old = fields(body=BODY + "\n\n" + note)
    new = fields(body=BODY + " More detail.\n\n" + note)
    assert "notes" not in classify_change(old, new)


def test_note_patterns_in_several_languages() -> None:
    cases = {
        "UPDATE: police have named the driver.": "update",
        "This story has been updated with comment from the mayor.": "update",
        "Editor's note: names have been changed.": "editors-note",
        "Korrektur: In einer früheren Version hieß es, die Brücke sei gesperrt.": "correction",
        "Aktualisierung: Die Polizei hat den Fahrer ermittelt.": "update",
        "Anmerkung der Redaktion: Namen wurden geändert.": "editors-note",
    }
    for text, kind in cases.items():
        notes = find_notes(fields(body=BODY + "\n\n" + text))
        assert [n.kind for n in notes] == [kind], text


def test_running_text_is_not_a_note() -> None:
    body = (
        BODY
        + "\n\nThe software update: it failed, the council said, and the correction took weeks."
    )
    assert find_notes(fields(body=body)) == ()


def test_relative_time_noise_is_not_a_body_change() -> None:
    old = fields(body="Updated 5 minutes ago\n\n" + BODY)
    new = fields(body="Updated 2 hours ago\n\n" + BODY)
    assert classify_change(old, new)["kinds"] == []


def test_classification_is_json_serialisable() -> None:
    new = fields(
        headline="New",
        authors=("Someone Else",),
        published_at=None,
        body=BODY + "\n\nCorrection: a fix.",
    )
    result = classify_change(fields(), new)
    assert json.loads(json.dumps(result)) == result
    assert result["kinds"] == ["headline", "byline", "dates", "body", "correction"]


def test_record_page_stores_the_classification(engine: Engine) -> None:
    url = "https://news.example/harbour-bridge-1"
    with Session(engine) as session, session.begin():
        first = record_page(session, url=url, fields=fields(), fetched_at=T0, snapshot_id=None)
    assert first.outcome == "new-article"
    note = "Correction: The closure lasts nine months, not six."
    new = fields(
        headline="Harbour bridge to close for nine months",
        authors=("Anna Berg",),
        body=BODY.replace("six months", "nine months") + "\n\n" + note,
    )
    with Session(engine) as session, session.begin():
        second = record_page(
            session, url=url, fields=new, fetched_at=T0 + timedelta(hours=1), snapshot_id=None
        )
    assert second.outcome == "new-version"
    with Session(engine) as session:
        versions = list_versions(session, get_article(session, url))
        assert versions[0].changes == {}
        changes = versions[1].changes
    assert changes["kinds"] == ["headline", "byline", "body", "correction"]
    assert changes["byline"] == {"added": [], "removed": ["Tom Lee"]}
    assert changes["notes"][0]["text"] == note
