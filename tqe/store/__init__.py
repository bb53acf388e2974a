"""tqe's SQLite store: one file (``.tqe/history.db`` by default) for the COMET cache and history."""

from tqe.store.db import DEFAULT_DB_PATH, connect, migrate_db, transaction

__all__ = ["DEFAULT_DB_PATH", "connect", "migrate_db", "transaction"]
