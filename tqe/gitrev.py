"""Git lookups: which commit a file is at. Used to label saved runs; git missing, a file
outside a repository, untracked or modified all answer None, never an error."""

from __future__ import annotations

import subprocess
from pathlib import Path

_GIT_TIMEOUT_S = 10


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_revision(path: str | Path | None) -> str | None:
    """The short hash of the last commit of ``path`` when git tracks it unchanged, else None."""
    if path is None or str(path) == "-":
        return None
    file = Path(path).resolve()
    if not file.is_file():
        return None
    folder = file.parent
    if _git(folder, "ls-files", "--error-unmatch", "--", file.name) is None:
        return None  # not in a repository, or not tracked
    status = _git(folder, "status", "--porcelain", "--", file.name)
    if status is None or status:
        return None  # modified since its last commit
    return _git(folder, "log", "-1", "--format=%h", "--", file.name) or None
