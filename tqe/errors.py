"""Exceptions raised by tqe's library code; the CLI turns them into one ``Error:`` line."""


class TqeError(Exception):
    """Base class for every error tqe reports to a user."""


class InputError(TqeError):
    """An input file is missing, unreadable, empty, not UTF-8 text or inconsistent."""


class MetricError(TqeError):
    """A metric is unknown, or cannot run (missing model, missing dependency)."""


class ConfigError(TqeError):
    """A settings file or a setting value is invalid."""


class StoreError(TqeError):
    """The history database cannot be read or written."""


class CompareError(TqeError):
    """Two runs cannot be compared (different documents, metrics or references)."""


class DependencyError(TqeError):
    """An optional dependency that a chosen feature needs is not installed."""
