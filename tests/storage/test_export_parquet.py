"""Parquet export read back by pyarrow and by DuckDB with the types it promises."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage import VersionFields, record_page
from storage.export import parquet_schema, write_parquet
from storage.selection import Selection, iter_versions

T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=2))
BODY = (
    "The harbour authority said on Monday that the north pier will close for repairs.\n\n"
    "Fishing boats will use the south quay while the work goes on, the authority said."
)


def put(engine: Engine, url: str, headline: str, published: datetime | date, at: datetime) -> None:
    with Session(engine) as session, session.begin():
        record_page(
            session,
            url=url,
            fields=VersionFields(
                headline=headline,
                authors=("Ana Ruiz", "Li Wei"),
                published_at=published,
                modified_at=None,
                description=None,
                language="en",
                body=BODY
                + ("\n\nCorrection: it is the north pier." if "fixed" in headline else ""),
                extractor="test",
            ),
            fetched_at=at,
            snapshot_id=None,
            source="north",
        )


def export(engine: Engine, path: Path, *, row_group_size: int = 10_000) -> int:
    with Session(engine) as session, path.open("wb") as handle:
        return write_parquet(
            iter_versions(session, Selection(all_versions=True)),
            handle,
            row_group_size=row_group_size,
        )


def test_parquet_types_read_back_by_pyarrow(engine: Engine, tmp_path: Path) -> None:
    put(engine, "https://n.example/a", "Pier closes", datetime(2026, 3, 31, 9, 30, tzinfo=CET), T0)
    put(engine, "https://n.example/b", "Quay opens", date(2026, 3, 30), T0)
    put(
        engine,
        "https://n.example/a",
        "Pier closes (fixed)",
        datetime(2026, 3, 31, 9, 30, tzinfo=CET),
        T0 + timedelta(hours=3),
    )
    path = tmp_path / "corpus.parquet"
    assert export(engine, path) == 3

    table = pq.read_table(path)
    schema = table.schema
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("published_day").type == pa.date32()
    assert schema.field("version").type == pa.int64()
    assert schema.field("words_added").type == pa.int64()
    rows = table.to_pylist()
    a1, a2, b = rows
    assert a1["authors"] == ["Ana Ruiz", "Li Wei"]
    assert a1["published_at"] == datetime(2026, 3, 31, 7, 30, tzinfo=UTC)
    assert a1["published_offset_minutes"] == 120
    assert a1["published_day"] is None
    # a day-only publication date stays a date: no instant, no invented midnight
    assert b["published_at"] is None and b["published_day"] == date(2026, 3, 30)
    assert a1["fetched_at"] == T0
    assert (a2["version"], a2["previous_version"]) == (2, 1)
    assert "correction" in a2["change_kinds"]
    assert a2["notes"] == ["Correction: it is the north pier."]
    assert a2["words_added"] == 6 and a1["words_added"] is None


def test_parquet_read_back_by_duckdb(engine: Engine, tmp_path: Path) -> None:
    put(engine, "https://n.example/a", "Pier closes", datetime(2026, 3, 31, 9, 30, tzinfo=CET), T0)
    put(engine, "https://n.example/b", "Quay opens", date(2026, 3, 30), T0)
    path = tmp_path / "corpus.parquet"
    export(engine, path)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    described = {
        row[0]: row[1]
        for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    }
    assert described["authors"] == "VARCHAR[]"
    assert described["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert described["published_day"] == "DATE"
    assert described["version"] == "BIGINT"
    day, authors = con.execute(
        f"SELECT published_day, authors FROM read_parquet('{path}') WHERE url LIKE '%/b'"
    ).fetchone()  # type: ignore[misc]
    assert day == date(2026, 3, 30) and authors == ["Ana Ruiz", "Li Wei"]
    (count,) = con.execute(
        f"SELECT count(*) FROM read_parquet('{path}') WHERE list_contains(authors, 'Li Wei')"
    ).fetchone()  # type: ignore[misc]
    assert count == 2


def test_row_groups_are_bounded(engine: Engine, tmp_path: Path) -> None:
    for i in range(7):
        put(engine, f"https://n.example/{i}", f"Story {i}", T0, T0)
    path = tmp_path / "corpus.parquet"
    assert export(engine, path, row_group_size=3) == 7
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [3, 3, 1]


def test_an_empty_selection_is_an_empty_file_with_the_schema(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "empty.parquet"
    assert export(engine, path) == 0
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.schema.equals(parquet_schema())
