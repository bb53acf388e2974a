"""The SQLite store (connection, numbered migrations) and the COMET score cache."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tqe.errors import StoreError
from tqe.model import ErrorSpan
from tqe.store import DEFAULT_DB_PATH, connect, migrate_db, transaction
from tqe.store.cache import CachedScore, CometCache, cache_key
from tqe.store.db import MIGRATIONS, schema_version

REPO = Path(__file__).resolve().parents[1]


def test_default_path_is_in_the_working_directory() -> None:
    assert DEFAULT_DB_PATH == Path(".tqe/history.db")
    assert not DEFAULT_DB_PATH.is_absolute()


def test_connect_creates_folder_and_sets_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "history.db"
    conn = connect(path)
    assert path.is_file()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert schema_version(conn) == len(MIGRATIONS)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "comet_cache" in tables


def test_migrations_run_once_and_in_order(tmp_path: Path) -> None:
    calls: list[int] = []

    def first(conn: sqlite3.Connection) -> None:
        calls.append(1)
        conn.execute("CREATE TABLE one (x INTEGER)")

    def second(conn: sqlite3.Connection) -> None:
        calls.append(2)
        conn.execute("CREATE TABLE two (y INTEGER REFERENCES one (x))")

    conn = connect(tmp_path / "db.sqlite", migrate=False)
    assert migrate_db(conn, [first]) == 1
    assert migrate_db(conn, [first, second]) == 2
    assert migrate_db(conn, [first, second]) == 2
    assert calls == [1, 2]


def test_failed_migration_leaves_previous_version(tmp_path: Path) -> None:
    def good(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE kept (x INTEGER)")

    def bad(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    conn = connect(tmp_path / "db.sqlite", migrate=False)
    with pytest.raises(RuntimeError):
        migrate_db(conn, [good, bad])
    assert schema_version(conn) == 1
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"kept"}


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer tqe"):
        connect(path)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not sqlite, just some text that is long enough" * 50)
    with pytest.raises(StoreError, match="is damaged .*rename it"):
        connect(path)


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    cache = CometCache(tmp_path / "db.sqlite")
    with pytest.raises(KeyboardInterrupt), transaction(cache.conn):
        cache.conn.execute(
            "INSERT INTO comet_cache (key, model_id, score) VALUES (?, ?, ?)", ("k", "m", 0.5)
        )
        raise KeyboardInterrupt
    assert cache.count() == 0


def test_cache_round_trip(tmp_path: Path) -> None:
    cache = CometCache(tmp_path / "db.sqlite")
    spans = [ErrorSpan(3, 7, "major", "jour", 0.5)]
    cache.put_many(
        "model-a",
        [
            (("Hello.", "Bonjour.", "Salut."), 0.75, None),
            (("Hello.", "Bonjour.", None), 0.5, spans),
        ],
    )
    found = cache.get_many(
        "model-a",
        [("Hello.", "Bonjour.", "Salut."), ("Hello.", "Bonjour.", None), ("Hi.", "Salut.", None)],
    )
    assert found == {
        ("Hello.", "Bonjour.", "Salut."): CachedScore(0.75, None),
        ("Hello.", "Bonjour.", None): CachedScore(0.5, spans),
    }
    stored = cache.conn.execute("SELECT error_spans FROM comet_cache WHERE error_spans IS NOT NULL").fetchone()[0]
    assert json.loads(stored) == [span.to_dict() for span in spans]  # kept as the span's dict
    assert cache.count() == 2
    assert cache.count("model-a") == 2
    assert cache.count("model-b") == 0


def test_cache_keys_use_exact_texts_and_model() -> None:
    base = cache_key("m", ("a", "b", "c"))
    assert base == cache_key("m", ("a", "b", "c"))
    assert base != cache_key("m2", ("a", "b", "c"))
    assert base != cache_key("m", ("a ", "b", "c"))
    assert base != cache_key("m", ("a", "b", None))
    assert cache_key("m", ("a", "b", "")) != cache_key("m", ("a", "b", None))
    # field boundaries matter: moving text from one field to the next is another key
    assert cache_key("m", ("ab", "", None)) != cache_key("m", ("a", "b", None))


def test_cache_by_model(tmp_path: Path) -> None:
    cache = CometCache(tmp_path / "db.sqlite")
    triple = ("s", "t", "r")
    cache.put_many("model-a", [(triple, 0.1, None)])
    assert cache.get_many("model-b", [triple]) == {}
    cache.put_many("model-a", [(triple, 0.2, None)])  # a recomputed score replaces the old one
    assert cache.get_many("model-a", [triple])[triple].score == 0.2


def test_cache_lookup_of_many_keys(tmp_path: Path) -> None:
    cache = CometCache(tmp_path / "db.sqlite")
    triples = [(f"source {i}", f"traduction {i}", None) for i in range(1234)]
    cache.put_many("m", [(triple, i / 1000, None) for i, triple in enumerate(triples)])
    found = cache.get_many("m", triples)
    assert len(found) == 1234
    assert found[triples[1000]].score == 1.0


def test_cache_shares_a_connection(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    cache = CometCache(conn)
    cache.put_many("m", [(("s", "t", None), 0.3, None)])
    assert conn.execute("SELECT count(*) FROM comet_cache").fetchone()[0] == 1


_WRITER = textwrap.dedent(
    """
    import sys
    from tqe.store.cache import CometCache
    cache = CometCache(sys.argv[1])
    batch = 0
    while True:
        items = [((f"s{batch}-{i}", "t" * 200, "r" * 200), 0.5, None) for i in range(250)]
        cache.put_many("m", items)
        batch += 1
    """
)


def test_killed_writer_leaves_whole_batches_and_a_sound_file(tmp_path: Path) -> None:
    """A process killed mid-write (like kill -9 or a power cut) loses at most its open batch."""
    path = tmp_path / "history.db"
    connect(path).close()
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], cwd=REPO)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            count = sqlite3.connect(path).execute("SELECT count(*) FROM comet_cache").fetchone()[0]
            if count >= 1000:
                break
            time.sleep(0.05)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    cache = CometCache(path)
    assert cache.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = cache.count()
    assert count >= 1000
    assert count % 250 == 0


# --- damaged cache rows are ignored (and scored again), never used -------------------------

BAD_ROWS = {
    "text score": ("'abc'", "NULL", "score stored as str, not a number"),
    "blob score": ("x'00ff'", "NULL", "score stored as bytes, not a number"),
    "9e999 reads as infinity": ("9e999", "NULL", "score is not a finite number"),
    "minus infinity": ("-9e999", "NULL", "score is not a finite number"),
    "absurd score": ("1e300", "NULL", "score out of range"),
    "spans not JSON": ("0.5", "'[{'", "error spans are not valid JSON"),
    "spans NaN constant": ("0.5", """'[{"confidence": NaN}]'""", "error spans are not valid JSON"),
    "spans an object": ("0.5", """'{"start": 1}'""", "error spans are not a list of objects"),
    "spans a list of numbers": ("0.5", "'[1, 2]'", "error spans are not a list of objects"),
    "spans a blob": ("0.5", "x'5b5d'", "error spans stored as bytes, not JSON text"),
    "span not in the translation": ("0.5", """'[{"text": "zzz", "start": 0, "end": 3}]'""",
                                    "an error span is not in its translation"),
    "span without text": ("0.5", """'[{"start": 0, "end": 1}]'""", "an error span has no text"),
    "span not an object": ("0.5", """'[{"text": "e"}, []]'""", "error spans are not a list of objects"),
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_damaged_cache_row_is_left_out_with_its_reason(tmp_path: Path, name: str) -> None:
    score_sql, spans_sql, reason = BAD_ROWS[name]
    cache = CometCache(tmp_path / "h.db")
    good, bad = ("a", "b", "c"), ("d", "e", None)
    cache.put_many("m", [(good, 0.25, [ErrorSpan(0, 1, "minor", "b")]), (bad, 0.5, None)])
    cache.conn.execute(
        f"UPDATE comet_cache SET score = {score_sql}, error_spans = {spans_sql} WHERE key = ?",
        (cache_key("m", bad),),
    )
    found = cache.get_many("m", [good, bad])
    assert found == {good: CachedScore(0.25, [ErrorSpan(0, 1, "minor", "b")])}
    assert cache.rejected == {reason: 1}
    cache.put_many("m", [(bad, 0.75, None)])  # the recomputed score replaces the damaged row
    assert cache.get_many("m", [bad]) == {bad: CachedScore(0.75, None)}
    assert cache.rejected == {}


def test_non_finite_scores_are_not_cached(tmp_path: Path) -> None:
    cache = CometCache(tmp_path / "h.db")
    triples = [("a", "b", None), ("c", "d", None), ("e", "f", None)]
    cache.put_many("m", [(triples[0], float("inf"), None), (triples[1], float("nan"), None),
                         (triples[2], 0.5, [{"confidence": float("nan")}])])
    assert cache.count() == 0


def test_json_output_never_writes_nan_or_infinity() -> None:
    import json

    import pandas as pd

    from tqe.metrics.base import MetricResult
    from tqe.output import render
    from tqe.pipeline import ScoreResult

    segments = pd.DataFrame({
        "id": ["1.1", "1.2"], "paragraph": [1, 1], "link": ["1-1", "1-1"], "source": ["a", "b"],
        "translation": ["c", "d"], "references": [(), ()], "comet": [float("inf"), float("nan")],
        "comet_error_spans": [[{"confidence": float("-inf"), "text": "c"}], []], "flags": [[], []],
    })
    metric = MetricResult(name="comet", corpus_score=float("inf"), segment_scores=[float("inf"), float("nan")],
                          signature="comet|x", details={})
    result = ScoreResult(segments=segments, metrics={"comet": metric}, skipped={})

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    document = json.loads(render(result, "json"), parse_constant=refuse)
    assert document["metrics"]["comet"]["score"] is None
    assert [s["scores"]["comet"] for s in document["segments"]] == [None, None]
    # the span is checked against its translation ("c") and written as ErrorSpan.to_dict
    assert document["segments"][0]["comet_error_spans"] == [
        {"text": "c", "confidence": None, "severity": "minor", "start": 0, "end": 1}
    ]
    lines = [json.loads(line, parse_constant=refuse) for line in render(result, "jsonl").splitlines()]
    assert lines[0]["comet_error_spans"][0]["confidence"] is None


# --- a busy database, a read-only one ---------------------------------------------------------


def test_a_database_locked_by_another_writer_is_busy_not_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tqe.store import db as store_db

    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "h.db"
    fresh = connect(path, migrate=False)  # not yet migrated: opening it must write
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            connect(path)
        assert time.monotonic() - started >= 0.15  # it waited for the lock first
        message = str(caught.value)
        assert message == (
            f"the database {path} is busy: another process has been writing to it for more than 0.2 s; "
            "run the command again once it has finished, or give --db a different file (leave this one in "
            "place while it is in use)"
        )
        assert "move it away" not in message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        fresh.close()
    assert schema_version(connect(path)) == len(MIGRATIONS)  # fine once the writer is done


def test_a_damaged_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not an SQLite file at all" * 100)
    with pytest.raises(StoreError, match=r"is damaged \(file is not a database\); once no tqe process is using it, "
                                         r"rename it"):
        connect(path)


def test_a_wal_database_in_a_read_only_folder_is_read_immutable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, which writes anywhere; the read-only folder is simulated where tqe asks."""
    from tqe.store import db as store_db
    from tqe.store.db import read_only, read_only_uri

    path = tmp_path / "h.db"
    conn = connect(path)
    conn.execute("INSERT INTO comet_cache (key, model_id, score) VALUES ('k', 'm', 0.5)")
    conn.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    check.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.db"]
    assert read_only_uri(path).endswith("?mode=ro")

    real_access = store_db.os.access
    monkeypatch.setattr(store_db.os, "access",  # a read-only mount: nothing can be written there
                        lambda path, mode, **kw: False if mode & store_db.os.W_OK else real_access(path, mode, **kw))
    assert read_only_uri(path).endswith("?mode=ro&immutable=1")
    with read_only(path) as reader:
        assert reader.execute("SELECT score FROM comet_cache").fetchall() == [(0.5,)]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["h.db"]  # no -shm/-wal was needed

    (tmp_path / "h.db-wal").write_bytes(b"")  # a log that may hold commits: never read immutable
    assert read_only_uri(path).endswith("?mode=ro")
