"""A pytest plugin that hides the [comet] extra, as on an install without it.

``python -m pytest -p without_comet ...`` (with tests/ on the path): the path finder no longer
sees COMET, torch and their companions, so ``import torch`` fails and
``importlib.util.find_spec("torch")`` is None, while everything else imports as usual.
"""

from __future__ import annotations

import importlib.machinery

HIDDEN = ("comet", "torch", "pytorch_lightning", "lightning", "transformers", "sentencepiece", "tokenizers",
          "huggingface_hub")

_find_spec = importlib.machinery.PathFinder.find_spec.__func__  # type: ignore[attr-defined]


def _find_spec_without_comet(cls, name, path=None, target=None):  # type: ignore[no-untyped-def]
    if name.split(".")[0] in HIDDEN:
        return None
    return _find_spec(cls, name, path, target)


importlib.machinery.PathFinder.find_spec = classmethod(_find_spec_without_comet)  # type: ignore[method-assign]
