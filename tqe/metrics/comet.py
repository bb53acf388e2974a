"""COMET through unbabel-comet's own ``predict``, offline-friendly, cached, never twice per segment.

Models: with a reference the default is ``Unbabel/wmt22-comet-da``; without one it is the
reference-free ``Unbabel/wmt20-comet-qe-da`` (Apache-2.0, not gated, so it downloads without an
account). Any COMET model works through ``model=``: a Hugging Face name, a model folder
(``checkpoints/model.ckpt`` + ``hparams.yaml``) or a ``.ckpt`` file. Gated models such as
``Unbabel/wmt22-cometkiwi-da`` or ``Unbabel/XCOMET-XL`` need their licence accepted on the
model's Hugging Face page and a token (``huggingface-cli login`` or ``HF_TOKEN``). Downloads go
to the Hugging Face cache (``HF_HOME``); with ``HF_HUB_OFFLINE=1`` only the cache is used.

Scores are exactly what ``model.predict`` returns for the same checkpoint and inputs (full
precision, no embedding cache). Identical (source, translation, reference) triples are scored
once, and with a :class:`~tqe.store.cache.CometCache` every score is stored as soon as its chunk
of batches finishes, so a second run, or a run after an interruption, only computes what is new.

torch, transformers and comet are imported only when a score is computed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqe.errors import MetricError
from tqe.metrics.base import MetricResult
from tqe.model import COMET_ERROR_SPANS, error_spans_of
from tqe.store.cache import CachedScore, CometCache, Triple

DEFAULT_MODEL = "Unbabel/wmt22-comet-da"
"""Used when references are given and no model is named."""

DEFAULT_QE_MODEL = "Unbabel/wmt20-comet-qe-da"
"""Used when there is no reference and no model is named (reference-free, not gated)."""

DEFAULT_BATCH_SIZE = 16
RESUME_TOLERANCE = 1e-5
"""How far a segment score can move with the batch it is scored in: a run resumed from the
cache (or a revision scored after an earlier one) forms other batches than a cold run, and
padding changes the floating-point sums. Measured: up to 1e-6 on 88 of 3,000 segments with
wmt22-comet-da; COMET scores agree to 5 decimals, not bit for bit."""

MIN_CHUNK_BATCHES = 8
"""The first chunk is this many batches; later chunks grow to about CHUNK_SECONDS of work."""
CHUNK_SECONDS = 30.0
"""Roughly how much work an interruption can lose: scores are cached after each chunk."""

INSTALL_HINT = "install COMET support with: pip install 'tqe-eval[comet]'"

# Loggers that print banners ("GPU available", tips, model loading) unless -v is given.
_NOISY_LOGGERS = (
    "pytorch_lightning",
    "lightning",
    "lightning.pytorch",
    "lightning_fabric",
    "lightning.fabric",
    "transformers",
    "comet",
    "huggingface_hub",
    "torch",
    "torchmetrics",
)

Progress = Callable[[str, int, int], None]


def comet_available() -> str | None:
    """None when torch and unbabel-comet are installed, else why COMET cannot run (one line).

    Looks the packages up without importing them, so it is cheap.
    """
    for module, package in (("torch", "torch"), ("comet", "unbabel-comet")):
        if importlib.util.find_spec(module) is None:
            return f"{package} is not installed; {INSTALL_HINT}"
    return None


def comet_version() -> str:
    """The installed unbabel-comet version (read from its metadata, without importing it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("unbabel-comet")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class ResolvedModel:
    """A COMET model located on disk, with what identifies it in the cache."""

    name: str
    checkpoint: Path
    model_id: str
    hparams: dict[str, Any]

    @property
    def requires_reference(self) -> bool:
        """Whether the model cannot score without a reference (COMET's requires_references)."""
        return _requires_reference(self.hparams)

    @property
    def accepts_reference(self) -> bool:
        """Whether the model reads a reference when one is given."""
        return self.hparams.get("class_identifier") != "referenceless_regression_metric"


def _requires_reference(hparams: dict[str, Any]) -> bool:
    kind = hparams.get("class_identifier")
    if kind in ("regression_metric", "ranking_metric"):
        return True
    if kind in ("unified_metric", "xcomet_metric"):
        return list(hparams.get("input_segments") or []) == ["mt", "ref"]
    return False


def _read_hparams(path: Path) -> dict[str, Any]:
    try:
        import yaml  # installed with unbabel-comet
    except ImportError as exc:
        raise MetricError(f"COMET cannot run: PyYAML is not installed; {INSTALL_HINT}") from exc

    try:
        with open(path, encoding="utf-8") as handle:
            hparams = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise MetricError(f"cannot read COMET hparams file {path}: {exc}") from exc
    if not isinstance(hparams, dict) or "class_identifier" not in hparams:
        raise MetricError(f"{path} is not a COMET hparams.yaml (no class_identifier)")
    return hparams


def _file_identity(checkpoint: Path, hparams_file: Path) -> str:
    """Path, size and modification time of the checkpoint, and a hash of its hparams.

    Changes whenever the checkpoint file is replaced, without reading gigabytes on every run.
    """
    stat = checkpoint.stat()
    hparams_hash = hashlib.sha256(hparams_file.read_bytes()).hexdigest()[:16]
    return f"file:{checkpoint}|size:{stat.st_size}|mtime:{stat.st_mtime_ns}|hparams:{hparams_hash}"


def _looks_like_path(name: str) -> bool:
    return (
        name.endswith(".ckpt")
        or name.startswith(("/", "./", "../", "~", "."))
        or name.count("/") > 1
        or "\\" in name
        or os.sep != "/" and os.sep in name
    )


def _local_checkpoint(name: str) -> tuple[Path, Path] | None:
    """(checkpoint, hparams.yaml) for a local model folder or .ckpt file; None if not local."""
    path = Path(name).expanduser()
    if path.is_dir():
        checkpoint = path / "checkpoints" / "model.ckpt"
        if not checkpoint.is_file():
            raise MetricError(
                f"{name} is not a COMET model folder: checkpoints/model.ckpt is missing"
            )
    elif path.is_file():
        checkpoint = path
    elif _looks_like_path(name):
        raise MetricError(
            f"COMET model {name} does not exist; pass --comet-model a model folder, a .ckpt file "
            "or a Hugging Face model name"
        )
    else:
        return None
    checkpoint = checkpoint.resolve()
    hparams_file = checkpoint.parents[1] / "hparams.yaml"
    if not hparams_file.is_file():
        raise MetricError(
            f"COMET checkpoint {checkpoint} has no hparams.yaml in {checkpoint.parents[1]}; "
            "keep COMET's layout MODEL/checkpoints/model.ckpt + MODEL/hparams.yaml"
        )
    return checkpoint, hparams_file


def _offline() -> bool:
    """Whether huggingface_hub runs offline (it reads HF_HUB_OFFLINE when first imported)."""
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def _hub_snapshot(name: str) -> Path:
    """Download (or find in the Hugging Face cache) a COMET model; every failure is one line."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        HFValidationError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    fix_cache = (
        "run once with network access to download it, or pass --comet-model PATH to a local "
        "COMET checkpoint"
    )
    try:
        return Path(snapshot_download(repo_id=name))
    except GatedRepoError as exc:
        raise MetricError(
            f"COMET model {name} is gated: accept its licence on https://huggingface.co/{name} "
            "and log in with `huggingface-cli login` (or set HF_TOKEN)"
        ) from exc
    except RepositoryNotFoundError as exc:
        raise MetricError(
            f"COMET model {name} was not found on the Hugging Face hub; check the name "
            "(a private or gated model needs `huggingface-cli login` or HF_TOKEN)"
        ) from exc
    except LocalEntryNotFoundError as exc:
        why = "HF_HUB_OFFLINE is set" if _offline() else "the hub cannot be reached"
        raise MetricError(
            f"COMET model {name} is not in the Hugging Face cache and {why}; {fix_cache}"
        ) from exc
    except HfHubHTTPError as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status in (401, 403):
            raise MetricError(
                f"COMET model {name} needs access rights: accept its licence on "
                f"https://huggingface.co/{name} and log in with `huggingface-cli login` "
                "(or set HF_TOKEN)"
            ) from exc
        raise MetricError(f"cannot download COMET model {name}: {_first_line(exc)}") from exc
    except HFValidationError as exc:
        raise MetricError(
            f"{name} is neither a local COMET model nor a valid Hugging Face model name"
        ) from exc
    except (OSError, ValueError) as exc:
        raise MetricError(f"cannot download COMET model {name}: {_first_line(exc)}") from exc


def _encoder_on_disk(encoder: str) -> bool:
    """Whether the encoder a COMET model names (``pretrained_model``, e.g. xlm-roberta-large)
    is a local folder or in the Hugging Face cache: if not, loading failed for want of it."""
    if Path(encoder).expanduser().is_dir():
        return True
    from huggingface_hub import try_to_load_from_cache

    try:
        return isinstance(try_to_load_from_cache(repo_id=encoder, filename="config.json"), str)
    except (ValueError, OSError):
        return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def resolve_model(name: str) -> ResolvedModel:
    """Locate COMET model ``name`` (folder, .ckpt file or Hugging Face name) without loading it.

    The model identity used by the cache includes the unbabel-comet version and, for a hub model,
    the snapshot's commit; for a local checkpoint, its path, size and modification time.
    """
    local = _local_checkpoint(name)
    if local is not None:
        checkpoint, hparams_file = local
        identity = _file_identity(checkpoint, hparams_file)
    else:
        snapshot = _hub_snapshot(name)
        checkpoint = snapshot / "checkpoints" / "model.ckpt"
        hparams_file = snapshot / "hparams.yaml"
        if not checkpoint.is_file() or not hparams_file.is_file():
            raise MetricError(
                f"COMET model {name} is incomplete in the Hugging Face cache ({snapshot}); "
                "run once with network access to finish the download"
            )
        identity = f"hf:{name}@{snapshot.name}"
    hparams = _read_hparams(hparams_file)
    return ResolvedModel(
        name=name,
        checkpoint=checkpoint,
        model_id=f"{identity}|comet:{comet_version()}",
        hparams=hparams,
    )


@contextmanager
def _quiet(verbose: bool) -> Iterator[None]:
    """Hide Lightning/transformers banners, warnings and logs unless ``verbose``.

    Libraries reset their logger levels when first imported, so COMET is imported first, inside
    the silenced block, and the levels are lowered after; everything is restored on exit.
    """
    if verbose:
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _import_comet()
        loggers = [logging.getLogger(name) for name in _NOISY_LOGGERS]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)


def _import_comet() -> Any:
    """Import unbabel-comet (and so torch); a missing or broken install is a MetricError."""
    reason = comet_available()
    if reason is not None:
        raise MetricError(f"COMET cannot run: {reason}")
    try:
        import comet
    except ImportError as exc:
        raise MetricError(f"COMET cannot be imported ({_first_line(exc)}); {INSTALL_HINT}") from exc
    return comet


def _plain(value: Any) -> Any:
    """Error-span values as JSON-friendly Python numbers (COMET may hand back tensors)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value


class Comet:
    """COMET as a tqe metric: segment scores and their mean, with model and version signature.

    ``model``: Hugging Face name, model folder or .ckpt file; None picks DEFAULT_MODEL when
    references are given and DEFAULT_QE_MODEL otherwise. ``gpus``: 0 runs on the CPU, 1 on one
    GPU, None uses a GPU when torch sees one. ``cache``: where scores are kept between runs, a
    :class:`CometCache` or a database path opened only when COMET actually runs (None: no
    cache). ``verbose``: show Lightning and transformers output. ``progress``: a callback
    ``(stage, done, total)`` called with stage "comet" before the first and after each chunk.
    ``chunk_size``: segments per predict call, in whole batches (None: adaptive, see
    CHUNK_SECONDS). ``on_warning``: hears one line when damaged cache rows were ignored (and
    scored again); without it that line is a Python ``RuntimeWarning``.

    With several reference streams the first one is used (COMET models read one reference);
    the signature says so (``refs:1-of-N``).
    """

    name = "comet"

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        gpus: int | None = None,
        cache: CometCache | str | os.PathLike[str] | None = None,
        verbose: bool = False,
        progress: Progress | None = None,
        chunk_size: int | None = None,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        if batch_size < 1:
            raise MetricError(f"the COMET batch size must be at least 1, not {batch_size}")
        if gpus is not None and gpus < 0:
            raise MetricError(f"--gpus must be 0 (CPU) or more, not {gpus}")
        self.model = os.fspath(model) if model is not None else None
        self.batch_size = batch_size
        self.gpus = gpus
        self.cache: CometCache | None = cache if isinstance(cache, CometCache) else None
        self._cache_path = None if cache is None or isinstance(cache, CometCache) else Path(cache)
        self.verbose = verbose
        self.progress = progress
        self.chunk_size = chunk_size
        self.on_warning = on_warning
        self._loaded: dict[Path, Any] = {}

    @property
    def needs_reference(self) -> bool:
        """False when no model is named (a reference-free one is picked); else what the model's
        hparams.yaml says, if it is on disk already (else False: compute() decides)."""
        if self.model is None:
            return False
        hparams = _peek_hparams(self.model)
        return _requires_reference(hparams) if hparams else False

    def model_name(self, has_reference: bool) -> str:
        """The model this metric uses with or without a reference."""
        if self.model is not None:
            return self.model
        return DEFAULT_MODEL if has_reference else DEFAULT_QE_MODEL

    def compute(
        self,
        sources: Sequence[str],
        translations: Sequence[str],
        references: Sequence[Sequence[str]] | None,
    ) -> MetricResult:
        """Score every segment; raises MetricError (one line, with the fix) when COMET can't run."""
        if len(sources) != len(translations):
            raise ValueError("sources and translations differ in length")
        streams = [list(stream) for stream in references] if references else []
        for stream in streams:
            if len(stream) != len(translations):
                raise ValueError("a reference stream differs in length from the translations")
        reference = streams[0] if streams else None
        name = self.model_name(reference is not None)

        reason = comet_available()
        if reason is not None:
            raise MetricError(f"COMET cannot run: {reason}")
        if self.gpus:
            self._gpus()  # a GPU asked for and missing is the first thing to say
        # find the model before importing torch and comet (seconds), so that a run whose model
        # cannot be had skips COMET at once
        with warnings.catch_warnings():
            if not self.verbose:
                warnings.simplefilter("ignore")
            resolved = resolve_model(name)
        with _quiet(self.verbose):
            _import_comet()
            gpus = self._gpus()
            if resolved.requires_reference and reference is None:
                raise MetricError(
                    f"COMET model {name} needs a reference translation; pass one with -r, or "
                    f"choose a reference-free model with --comet-model (e.g. {DEFAULT_QE_MODEL})"
                )
            use_reference = reference is not None and resolved.accepts_reference
            triples: list[Triple] = [
                (source, translation, reference[i] if use_reference else None)  # type: ignore[index]
                for i, (source, translation) in enumerate(zip(sources, translations))
            ]
            unique = list(dict.fromkeys(triples))
            if self.cache is None and self._cache_path is not None:
                self.cache = CometCache(self._cache_path)
            results: dict[Triple, CachedScore] = (
                self.cache.get_many(resolved.model_id, unique) if self.cache else {}
            )
            if self.cache is not None and self.cache.rejected:
                self._warn_rejected(self.cache)
            missing = [triple for triple in unique if triple not in results]
            if missing:
                results.update(self._score(resolved, missing, gpus))

        segment_scores = [results[triple].score for triple in triples]
        corpus = sum(segment_scores) / len(segment_scores) if segment_scores else float("nan")
        details: dict[str, list[Any]] = {}
        if any(results[triple].error_spans is not None for triple in triples):
            details[COMET_ERROR_SPANS] = [results[triple].error_spans or [] for triple in triples]
        if not use_reference:
            refs = "0"
        elif len(streams) == 1:
            refs = "1"
        else:
            refs = f"1-of-{len(streams)}"
        signature = f"comet|model:{name}|version:{comet_version()}|refs:{refs}"
        return MetricResult(
            name=self.name,
            corpus_score=corpus,
            segment_scores=segment_scores,
            signature=signature,
            details=details,
        )

    def _warn_rejected(self, cache: CometCache) -> None:
        """One line for the damaged cache rows :meth:`CometCache.get_many` left out."""
        count = sum(cache.rejected.values())
        reasons = ", ".join(sorted(cache.rejected))
        where = f" in {cache.path}" if cache.path is not None else ""
        message = (
            f"ignored {count} damaged COMET cache row{'s' if count != 1 else ''}{where} "
            f"({reasons}); scoring {'them' if count != 1 else 'it'} again"
        )
        if self.on_warning is not None:
            self.on_warning(message)
        else:  # a library caller without a callback: a Python warning, even inside _quiet
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                warnings.warn(message, RuntimeWarning, stacklevel=3)

    def _gpus(self) -> int:
        import torch

        has_gpu = torch.cuda.is_available() or torch.backends.mps.is_available()
        if self.gpus is None:
            return 1 if has_gpu else 0
        if self.gpus > 1:
            raise MetricError(
                f"tqe runs COMET on one GPU at most, not {self.gpus}; use --gpus 1 "
                "(or comet-score --gpus N for multi-GPU scoring)"
            )
        if self.gpus == 1 and not has_gpu:
            raise MetricError("--gpus 1 asks for a GPU but torch sees none; use --gpus 0 for the CPU")
        return self.gpus

    def _load(self, resolved: ResolvedModel) -> Any:
        if resolved.checkpoint in self._loaded:
            return self._loaded[resolved.checkpoint]
        try:
            model = load_checkpoint(resolved.checkpoint)
        except Exception as exc:  # a corrupt checkpoint, or its encoder could not be fetched
            encoder = resolved.hparams.get("pretrained_model")
            if isinstance(encoder, str) and not _encoder_on_disk(encoder):
                why = "HF_HUB_OFFLINE is set" if _offline() else "the hub cannot be reached"
                raise MetricError(
                    f"COMET model {resolved.name} needs the encoder files of {encoder}, which are "
                    f"not in the Hugging Face cache and cannot be downloaded ({why}); run once "
                    "with network access"
                ) from exc
            raise MetricError(
                f"cannot load COMET model {resolved.name}: {_first_line(exc)}"
            ) from exc
        model.eval()
        self._loaded[resolved.checkpoint] = model
        return model

    def _score(
        self, resolved: ResolvedModel, missing: list[Triple], gpus: int
    ) -> dict[Triple, CachedScore]:
        """Run COMET's predict on ``missing`` in chunks, caching each chunk when it finishes.

        The segments are put in the order COMET's own length batching uses (numpy's argsort of
        the source lengths) and chunks are whole batches scored in that order, so every batch is
        the one a single ``predict`` call over ``missing`` would form, with no extra padding.
        A segment's score depends slightly on its batch (each batch is padded to its longest
        segment), so when the cache already holds part of a document (a resumed run, an edited
        revision) the batches differ from a cold run's and scores can differ by up to
        :data:`RESUME_TOLERANCE`.
        """
        import numpy as np

        model = self._load(resolved)
        sort_ids = np.argsort([len(triple[0]) for triple in missing])
        ordered = [missing[int(i)] for i in sort_ids]
        scored: dict[Triple, CachedScore] = {}
        report = self.progress
        if report:
            report("comet", 0, len(ordered))
        chars_per_second: float | None = None
        start = 0
        while start < len(ordered):
            end = self._chunk_end(ordered, start, chars_per_second)
            chunk = ordered[start:end]
            began = time.perf_counter()
            try:
                prediction = model.predict(
                    samples=[_sample(triple) for triple in chunk],
                    batch_size=self.batch_size,
                    gpus=gpus,
                    progress_bar=False,
                    accelerator="auto",
                    length_batching=False,  # already in COMET's length order
                )
            except (RuntimeError, ValueError, MemoryError) as exc:  # e.g. CUDA out of memory
                raise MetricError(
                    f"COMET failed while scoring ({_first_line(exc)}); scores so far are cached. "
                    "Try a smaller --batch-size, or --gpus 0"
                ) from exc
            elapsed = time.perf_counter() - began
            spans = None
            if "metadata" in prediction and "error_spans" in prediction.metadata:
                spans = [_plain(item) for item in prediction.metadata.error_spans]
            items = [
                (triple, float(score), list(error_spans_of(spans[i], triple[1])) if spans is not None else None)
                for i, (triple, score) in enumerate(zip(chunk, prediction.scores))
            ]
            if self.cache is not None:
                self.cache.put_many(resolved.model_id, items)
            for triple, score, triple_spans in items:
                scored[triple] = CachedScore(score, triple_spans)
            if elapsed > 0:
                chars_per_second = sum(_chars(triple) for triple in chunk) / elapsed
            start = end
            if report:
                report("comet", start, len(ordered))
        return scored

    def _chunk_end(self, ordered: list[Triple], start: int, chars_per_second: float | None) -> int:
        """End of the next chunk, in whole batches: ``chunk_size`` segments if given, else
        MIN_CHUNK_BATCHES batches at first, then about CHUNK_SECONDS of work at the speed seen."""
        batch = self.batch_size
        if self.chunk_size is not None:
            size = max(batch, self.chunk_size - self.chunk_size % batch)
        else:
            size = batch * MIN_CHUNK_BATCHES
            if chars_per_second is not None:
                budget = chars_per_second * CHUNK_SECONDS
                end = start
                while end < len(ordered) and budget > 0:
                    budget -= _chars(ordered[end])
                    end += 1
                size = max(size, -(-(end - start) // batch) * batch)
        return min(len(ordered), start + size)


def load_checkpoint(checkpoint: Path) -> Any:
    """``comet.load_from_checkpoint``, without first filling the weights with random numbers.

    COMET builds the model (random initialisation: seconds for XLM-R) and then overwrites every
    weight from the checkpoint. Skipping that initialisation gives the same model faster; if
    the checkpoint turns out not to hold every weight, the model is loaded again COMET's way.
    """
    from comet import load_from_checkpoint

    try:
        from transformers.modeling_utils import no_init_weights
    except ImportError:  # pragma: no cover - a transformers without it
        return load_from_checkpoint(str(checkpoint))
    with no_init_weights():
        model = load_from_checkpoint(str(checkpoint))
    if _holds_every_weight(model, checkpoint):
        return model
    return load_from_checkpoint(str(checkpoint))


def _holds_every_weight(model: Any, checkpoint: Path) -> bool:
    """Whether every parameter and buffer of ``model`` is stored in ``checkpoint``."""
    import torch

    try:
        stored = torch.load(checkpoint, map_location="cpu", mmap=True, weights_only=True)
        keys = set(stored["state_dict"])
    except Exception:  # noqa: BLE001 - unreadable this way: let COMET load it its own way
        return False
    return set(model.state_dict()) <= keys


def _chars(triple: Triple) -> int:
    source, translation, reference = triple
    return len(source) + len(translation) + len(reference or "") + 1


def _sample(triple: Triple) -> dict[str, str]:
    source, translation, reference = triple
    sample = {"src": source, "mt": translation}
    if reference is not None:
        sample["ref"] = reference
    return sample


def _peek_hparams(name: str) -> dict[str, Any] | None:
    """A model's hparams from disk (local folder or Hugging Face cache) without any network."""
    try:
        local = _local_checkpoint(name)
    except MetricError:
        return None
    if local is not None:
        try:
            return _read_hparams(local[1])
        except MetricError:
            return None
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    try:
        cached = try_to_load_from_cache(repo_id=name, filename="hparams.yaml")
    except (ValueError, OSError):  # an invalid repo name: compute() reports it properly
        return None
    if isinstance(cached, str):
        try:
            return _read_hparams(Path(cached))
        except MetricError:
            return None
    return None
