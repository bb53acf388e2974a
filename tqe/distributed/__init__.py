"""Scoring big tables on a Ray cluster (``tqe score --table big.jsonl --engine ray``).

Ray is optional (the ``[ray]`` extra) and imported only when this engine runs: importing this
package imports neither Ray nor pandas. See :mod:`tqe.distributed.engine`.
"""

from __future__ import annotations

import importlib.util

from tqe.errors import DependencyError

RAY_INSTALL_HINT = "pip install 'tqe-eval[ray]'"


def require_ray() -> None:
    """:class:`DependencyError` (one line naming the extra) when Ray Data is not installed."""
    for module in ("ray", "pyarrow"):
        if importlib.util.find_spec(module) is None:
            raise DependencyError(f"--engine ray needs Ray, which is not installed; install it with: {RAY_INSTALL_HINT}")
