"""The one SQLite file tqe keeps (COMET cache now, run history later) and its migrations.

The schema only changes through numbered migrations: ``MIGRATIONS[i]`` upgrades a database from
``PRAGMA user_version`` i to i + 1, inside one transaction, so a database is always at a
known version and an interrupted upgrade leaves it at the previous one. New tables are added by
appending a migration, never by editing an old one.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tqe.errors import StoreError

DEFAULT_DB_PATH = Path(".tqe") / "history.db"
"""Where the database lives unless told otherwise: relative to the working directory."""

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another tqe process holding the write lock."""

Migration = Callable[[sqlite3.Connection], None]


def _create_comet_cache(conn: sqlite3.Connection) -> None:
    """1: COMET segment scores keyed by a hash of model identity and the exact texts."""
    conn.execute(
        """
        CREATE TABLE comet_cache (
            key TEXT PRIMARY KEY,
            model_id TEXT NOT NULL,
            score REAL NOT NULL,
            error_spans TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """
    )
    conn.execute("CREATE INDEX comet_cache_model ON comet_cache (model_id)")


def _create_history(conn: sqlite3.Connection) -> None:
    """2: run history (tqe.store.history): runs, their metrics, segments, segment scores, flags."""
    conn.execute(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL,
            revision TEXT NOT NULL,
            created_at TEXT NOT NULL,
            tqe_version TEXT NOT NULL,
            source_path TEXT,
            translation_path TEXT,
            reference_paths TEXT NOT NULL,
            segment_count INTEGER NOT NULL,
            skipped TEXT NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX runs_document ON runs (document_id)")
    conn.execute("CREATE INDEX runs_revision ON runs (revision)")
    conn.execute(
        """
        CREATE TABLE run_metrics (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            corpus_score REAL NOT NULL,
            signature TEXT NOT NULL,
            segment_signature TEXT,
            model TEXT,
            details TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (run_id, metric)
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE segments (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            segment_id TEXT NOT NULL,
            paragraph INTEGER NOT NULL,
            link TEXT NOT NULL,
            source TEXT NOT NULL,
            translation TEXT NOT NULL,
            refs TEXT NOT NULL,
            details TEXT,
            PRIMARY KEY (run_id, position)
        ) WITHOUT ROWID
        """
    )
    conn.execute(
        """
        CREATE TABLE segment_scores (
            run_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            metric TEXT NOT NULL,
            score REAL,
            PRIMARY KEY (run_id, position, metric),
            FOREIGN KEY (run_id, position) REFERENCES segments (run_id, position) ON DELETE CASCADE
        ) WITHOUT ROWID
        """
    )
    conn.execute(
        """
        CREATE TABLE segment_flags (
            run_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            check_name TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            PRIMARY KEY (run_id, position, ordinal),
            FOREIGN KEY (run_id, position) REFERENCES segments (run_id, position) ON DELETE CASCADE
        ) WITHOUT ROWID
        """
    )


MIGRATIONS: list[Migration] = [_create_comet_cache, _create_history]
"""``MIGRATIONS[i]`` upgrades ``user_version`` i to i + 1. Append only."""


def connect(path: str | Path = DEFAULT_DB_PATH, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating it and its folder if needed) tqe's database and bring its schema up to date.

    The connection is in autocommit mode: group writes with :func:`transaction`. WAL journaling
    lets readers work while a run writes, and keeps the file intact if a run is killed.
    """
    db_path = Path(path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open the database {db_path}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate:
            migrate_db(conn)
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(unusable(db_path, exc)) from exc
    return conn


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite giving up on a lock another connection holds."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def busy_or(exc: BaseException, db_path: str | Path) -> str:
    """The one-line reason for a failed database operation: the busy message when another
    process holds the lock, else SQLite's own words."""
    if is_busy(exc):
        return busy_message(db_path)
    return " ".join(str(exc).split())


def busy_message(db_path: str | Path) -> str:
    """Another process holds the write lock longer than :data:`BUSY_TIMEOUT_MS`."""
    return (
        f"the database {db_path} is busy: another process has been writing to it for more than "
        f"{BUSY_TIMEOUT_MS / 1000:g} s; run the command again once it has finished, or give "
        "--db a different file (leave this one in place while it is in use)"
    )


def unusable(db_path: str | Path, exc: BaseException) -> str:
    """Why a database cannot be opened, with the fix that fits: wait when it is busy, move it
    away only when SQLite says the file itself is damaged."""
    if is_busy(exc):
        return busy_message(db_path)
    detail = " ".join(str(exc).split())
    lowered = detail.lower()
    if "not a database" in lowered or "malformed" in lowered:
        return (
            f"the database {db_path} is damaged ({detail}); once no tqe process is using it, "
            "rename it (e.g. to history.db.broken) and a new one is started"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return f"the database {db_path} cannot be written ({detail}); give --db a file in a writable folder"
    return f"the database {db_path} cannot be used ({detail})"


@contextmanager
def read_only(path: str | Path) -> Iterator[sqlite3.Connection]:
    """Open an existing database for reading only: no migration, no journal-mode change.

    The connection cannot write (``mode=ro``). A database at an older schema is an error, as
    reading it needs the migrations only a write applies. SQLite leaves ``-wal``/``-shm`` files
    behind a read-only connection to a WAL database; when there were none before, SQLite's own
    last-connection cleanup removes them again (:func:`_release_wal`), so a read leaves the
    folder as it found it.
    """
    db_path = Path(path)
    had_wal = _wal_path(db_path).exists()
    try:
        conn = sqlite3.connect(
            read_only_uri(db_path),
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open the database {db_path}: {exc}") from exc
    try:
        try:
            version = schema_version(conn)
        except sqlite3.Error as exc:
            if not _can_create_beside(db_path) and had_wal:
                raise StoreError(
                    f"cannot read the database {db_path}: it is in a read-only folder and its "
                    f"write-ahead log ({_wal_path(db_path).name}) is not merged in; copy both "
                    "files to a writable folder and read the copy"
                ) from exc
            raise StoreError(unusable(db_path, exc)) from exc
        if version < len(MIGRATIONS):
            raise StoreError(
                f"{db_path} was written by an older tqe; run tqe score --save once to upgrade it"
            )
        if version > len(MIGRATIONS):
            raise StoreError(_newer_message(version, len(MIGRATIONS)))
        yield conn
    finally:
        conn.close()
        if not had_wal:
            _release_wal(db_path)


def read_only_uri(db_path: Path) -> str:
    """The URI a read-only connection opens: ``mode=ro``, plus ``immutable=1`` when SQLite
    could not create the ``-shm`` file a WAL database needs (a read-only folder or mount) and
    there is no write-ahead log, so no writer can be at work and the file alone holds every
    committed run."""
    uri = db_path.resolve().as_uri() + "?mode=ro"
    if not _can_create_beside(db_path) and not _wal_path(db_path).exists():
        uri += "&immutable=1"
    return uri


def _can_create_beside(db_path: Path) -> bool:
    """Whether files can be created next to ``db_path`` (False on a read-only mount)."""
    folder = db_path.resolve().parent
    return os.access(folder, os.W_OK | os.X_OK) and os.access(db_path, os.W_OK)


def _wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-wal")


def _release_wal(db_path: Path) -> None:
    """Let SQLite delete the ``-wal``/``-shm`` files a read-only connection left.

    A connection that may write, closing as the last one, checkpoints and deletes them; with
    ``query_only`` it runs no write of its own, and an empty write-ahead log copies nothing
    into the database file. While another process has the database open, SQLite keeps them.
    """
    if not _wal_path(db_path).exists():
        return
    try:
        conn = sqlite3.connect(
            db_path.resolve().as_uri() + "?mode=rw",
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        pass  # tidying only: the files are harmless, and SQLite reuses them


def _newer_message(version: int, known: int) -> str:
    return (
        f"the database was written by a newer tqe (schema {version}, this tqe knows "
        f"{known}); upgrade tqe or use another database"
    )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one write transaction: all of it is committed, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection) -> int:
    """The database's ``PRAGMA user_version``: how many migrations it has had."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate_db(conn: sqlite3.Connection, migrations: list[Migration] | None = None) -> int:
    """Apply the migrations the database has not had yet, each in its own transaction.

    Safe when several processes start at once: the version is re-read under the write lock.
    Returns the final version.
    """
    steps = MIGRATIONS if migrations is None else migrations
    if conn.in_transaction:
        raise StoreError("cannot upgrade the database inside an open transaction")
    while True:
        version = schema_version(conn)
        if version > len(steps):
            raise StoreError(_newer_message(version, len(steps)))
        if version == len(steps):
            return version
        with transaction(conn):
            if schema_version(conn) != version:  # another process upgraded it meanwhile
                continue
            steps[version](conn)
            conn.execute(f"PRAGMA user_version = {int(version) + 1}")
