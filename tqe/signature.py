"""Reading fields out of metric signatures (``nrefs:1|case:mixed|...``, ``comet|model:...``)."""

from __future__ import annotations


def signature_field(signature: str | None, key: str) -> str | None:
    """The value of ``key`` in a ``|``-separated ``key:value`` signature, None when absent.

    sacrebleu's signatures (``nrefs:1|case:mixed|eff:no|tok:13a|...``) and COMET's
    (``comet|model:Unbabel/wmt22-comet-da|version:2.2.2|refs:yes``) share this form.
    """
    for part in (signature or "").split("|"):
        name, colon, value = part.partition(":")
        if colon and name == key:
            return value
    return None
