"""The Ray engine: score a big table across the CPUs and GPUs of a Ray cluster, with the numbers
of a single-process run.

How a run goes (the driver is the process that runs ``tqe score``):

1. The driver reads and validates the table (:mod:`tqe.distributed.table`), so a bad row is one
   ``Error:`` line before any worker starts; it checks every metric can run, builds the
   document's check context and looks every (source, translation, reference) up in the COMET
   cache. Rows found there carry their score; only the others go to COMET.
2. The table becomes a Ray dataset of blocks (``block_rows`` segments each). CPU tasks compute
   the sacrebleu statistics, segment scores and rule-check flags of each block
   (:func:`~tqe.distributed.workers.lexical_block`).
3. A pool of COMET actors (one per GPU, or one per CPU slot with ``gpus=0``) scores the rows
   the cache lacked, each block sorted by length and batched as COMET does
   (:class:`~tqe.distributed.workers.CometWorker`).
4. Blocks come back to the driver in input order as they finish. The driver writes their new
   COMET scores to the cache at once (so an interrupted run keeps what finished: workers never
   need to reach the cache, wherever they run), adds the statistics to running sums, keeps the
   scores (floats) for the relative flag thresholds, and leaves the block in Ray's object
   store (spilled to disk when large).
5. Document scores come from the summed statistics (sacrebleu's own formula: equal to a
   single-process run), score flags from the gathered scores, and the blocks are written out
   one by one (``.jsonl`` or ``.parquet``) or gathered into a :class:`ScoreResult`.

Ray retries a task whose worker process died (three times), and Ray Data restarts a dead COMET
actor and gives its block to a live one (its defaults, ``max_restarts=-1`` and
``max_task_retries=-1``); a block is only taken once it is complete, so the result is complete
and the same. A Python error in a worker (a TqeError) is not retried: it is the run's error.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from tqe.config import COMET_SPANS_CHECK, FlagConfig
from tqe.distributed import require_ray
from tqe.distributed.workers import (
    CACHED_SCORE,
    CACHED_SPANS,
    NEW_SCORE,
    REFERENCE_FLAGS,
    ROW,
    RULE_FLAGS,
    SPANS,
    STATS_PREFIX,
    CometWorker,
    lexical_block,
    raise_block_error,
)
from tqe.errors import InputError, MetricError, TqeError
from tqe.flag import CheckPlan, document_score_flags, plan_checks
from tqe.metrics import MetricResult, metric_class, metric_info
from tqe.model import Flag, error_spans_of, plain, sort_flags
from tqe.pipeline import ScoreResult, check_languages, resolve_metrics

DEFAULT_BLOCK_ROWS = 2048
"""Segments per block: large enough for COMET's length batching to pad little, small enough
that a retried block costs seconds and every worker gets several blocks."""

STREAM_SUFFIXES = (".jsonl", ".parquet")
"""Output files written block by block, without gathering the segments in the driver."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide a Ray run goes.

    ``address``: a running cluster (``ray://host:10001``, ``host:6379`` or ``auto``); None
    uses ``RAY_ADDRESS`` when set, else starts a local Ray instance for the run (with
    ``num_cpus`` CPUs, default: all). ``workers``: COMET actors; None is one per GPU of the
    cluster, or one per CPU with ``gpus=0`` or no GPU. ``block_rows``: segments per block.
    """

    address: str | None = None
    workers: int | None = None
    block_rows: int = DEFAULT_BLOCK_ROWS
    num_cpus: int | None = None


@dataclass(frozen=True)
class RunHooks:
    """Who hears about a Ray run as it goes: ``on_skip(metric or checks, reason)`` for what
    cannot run, ``progress(stage, done, total)`` as blocks come back."""

    on_skip: Callable[[str, str], None] | None = None
    progress: Progress | None = None


@dataclass(frozen=True)
class _Job:
    """One Ray run's settings, as the public functions received them."""

    table: str | Path
    metrics: Sequence[str] | None
    metric_options: Mapping[str, Mapping[str, Any]] | None
    flag_config: FlagConfig | None
    flags: bool
    options: RayOptions
    hooks: RunHooks


@dataclass(frozen=True)
class StreamedRun:
    """What a run that wrote its segments to a file returns: the document scores (each
    MetricResult without segment scores), skipped metrics and counts."""

    metrics: dict[str, MetricResult]
    skipped: dict[str, str]
    segment_count: int
    comet_computed: int
    output: Path

    @property
    def corpus(self) -> dict[str, float]:
        return {name: result.corpus_score for name, result in self.metrics.items()}


@dataclass
class _Plan:
    """Everything the driver settles before any worker starts."""

    segments: pd.DataFrame | None
    names: list[str]
    lexical: list[tuple[str, dict[str, Any]]]
    skipped: dict[str, str]
    reference_count: int
    comet: dict[str, Any] | None = None  # options for CometWorker, model id, signature...
    rules: CheckPlan | None = None
    flag_config: FlagConfig | None = None
    skipped_checks: frozenset[str] = frozenset()


def _plan(
    table: str | Path,
    metrics: Sequence[str] | None,
    metric_options: Mapping[str, Mapping[str, Any]],
    flag_config: FlagConfig | None,
    on_skip: Callable[[str, str], None] | None,
) -> _Plan:
    """Read and check everything in the driver: a bad table, metric or model fails here."""
    from tqe.distributed.table import read_segments

    names, explicit = resolve_metrics(metrics)
    segments = read_segments(table)
    reference_count = len(segments["references"].iloc[0])
    if flag_config is not None:
        check_languages(segments, flag_config, on_skip)
    plan = _Plan(segments, [], [], {}, reference_count, flag_config=flag_config)
    for name in names:
        options = dict(metric_options.get(name, {}))
        try:
            if metric_info(name).needs_reference is True and not reference_count:
                raise MetricError(f"{name} needs a reference translation (-r FILE)")
            if name == "comet":
                plan.comet = _comet_plan(options, reference_count)
            else:
                metric_class(name)(workers=1, **options)  # bad options fail here, not in a task
                plan.lexical.append((name, options))
        except MetricError as exc:
            if explicit:
                raise
            plan.skipped[name] = str(exc)
            if on_skip:
                on_skip(name, str(exc))
            continue
        plan.names.append(name)
    if flag_config is not None:
        # the whole document's check context, built once from every segment (as flag_segments does)
        plan.rules = plan_checks(segments, flag_config)
        plan.skipped_checks = plan.rules.skipped
    return plan


def _comet_plan(options: dict[str, Any], reference_count: int) -> dict[str, Any]:
    """Check that COMET can run (installed, model found, reference when the model needs one)
    exactly as a single-process run does, and settle the workers' options and the cache."""
    from tqe.metrics.comet import Comet, resolve_model

    cache = options.pop("cache", None)
    on_warning = options.pop("on_warning", None)
    options.pop("progress", None)
    requested_gpus = options.get("gpus")
    # the driver needs no GPU: an empty run on the CPU says every "cannot run" a real one would
    probe = Comet(**{**options, "gpus": 0}, on_warning=on_warning)
    empty_references = [[] for _ in range(reference_count)] or None
    signature = probe.compute([], [], empty_references).signature
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resolved = resolve_model(probe.model_name(reference_count > 0))
    return {
        "worker_options": {**options, "gpus": None},
        "requested_gpus": requested_gpus,
        "model_id": resolved.model_id,
        "triple_reference": reference_count > 0 and resolved.accepts_reference,
        "signature": signature,
        "cache": cache,
        "probe": probe,
    }


@contextmanager
def _ray_session(options: RayOptions, verbose: bool) -> Iterator[Any]:
    """Connect to the cluster (or start a local instance), quietly; shut down only what we started."""
    require_ray()
    import ray

    if not verbose:  # Ray's INFO and notice lines ("token authentication", "progress bars disabled")
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
    started = False
    if not ray.is_initialized():
        address = options.address or os.environ.get("RAY_ADDRESS") or "local"
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": verbose,
                                  "logging_level": logging.INFO if verbose else logging.ERROR}
        if address == "local" and options.num_cpus is not None:
            kwargs["num_cpus"] = options.num_cpus
        try:
            ray.init(address=address, **kwargs)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            where = "a local Ray instance" if address == "local" else f"the Ray cluster at {address}"
            raise InputError(f"cannot start or reach {where}: {str(exc).splitlines()[0]}; start a cluster "
                             "with 'ray start --head' or check --ray-address") from None
        started = True
    import ray.data

    if not verbose:  # a worker's error reaches the user as one line, not Ray Data's report
        logging.getLogger("ray.data").setLevel(logging.CRITICAL)
    context = ray.data.DataContext.get_current()
    saved = (context.execution_options.preserve_order, context.enable_progress_bars)
    context.execution_options.preserve_order = True  # blocks come back in input order
    context.enable_progress_bars = verbose
    try:
        yield ray
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars = saved
        if started:
            ray.shutdown()


def _tqe_error(exc: BaseException) -> TqeError | None:
    """The TqeError a worker raised, unwrapped from Ray's exceptions (which subclass it but
    print a traceback): the innermost one in the chain of causes."""
    found: TqeError | None = None
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, TqeError):
            found = current
        current = getattr(current, "cause", None) or current.__cause__
    return found


def _comet_pool(ray: Any, comet: dict[str, Any], workers: int | None) -> tuple[int, dict[str, Any], int]:
    """(actors, Ray resources of one actor, gpus each actor's COMET uses)."""
    resources = ray.cluster_resources()
    cluster_gpus = int(resources.get("GPU", 0))
    cluster_cpus = max(1, int(resources.get("CPU", 1)))
    requested = comet["requested_gpus"]
    on_gpu = cluster_gpus > 0 if requested is None else requested > 0
    if on_gpu:
        if not cluster_gpus:
            raise MetricError(f"--gpus {requested} asks for GPUs but the Ray cluster has none; use --gpus 0 for CPUs")
        size = workers or (requested if requested else cluster_gpus)
        if size > cluster_gpus:
            raise MetricError(f"{size} COMET workers need {size} GPUs; the Ray cluster has {cluster_gpus}")
        return size, {"num_gpus": 1, "num_cpus": 1}, 1
    return workers or cluster_cpus, {"num_cpus": 1}, 0


def _blocks(plan: _Plan, comet_cache: Any, block_rows: int, on_warning: Callable[[str], None] | None) -> list[pd.DataFrame]:
    """The table in blocks, each row with its input position and (when COMET runs) the score
    the cache holds for it (NaN: not cached)."""
    segments = plan.segments
    assert segments is not None
    segments = segments.assign(**{ROW: range(len(segments))})
    blocks = []
    rejected = 0
    for start in range(0, len(segments), block_rows):
        block = segments.iloc[start : start + block_rows].reset_index(drop=True)
        if plan.comet is not None:
            scores, spans = [math.nan] * len(block), [None] * len(block)
            if comet_cache is not None:
                triples = _triples(block, plan.comet["triple_reference"])
                found = comet_cache.get_many(plan.comet["model_id"], dict.fromkeys(triples))
                rejected += sum(comet_cache.rejected.values())
                for index, triple in enumerate(triples):
                    if triple in found:
                        scores[index] = found[triple].score
                        if found[triple].error_spans is not None:
                            spans[index] = json.dumps(found[triple].error_spans, ensure_ascii=False, default=plain)
            block[CACHED_SCORE] = pd.Series(scores, dtype=float)
            block[CACHED_SPANS] = pd.Series(spans, dtype=object)
        blocks.append(block)
    if rejected and on_warning is not None:
        where = f" in {comet_cache.path}" if comet_cache.path is not None else ""
        on_warning(f"ignored {rejected} damaged COMET cache row{'s' if rejected != 1 else ''}{where}; "
                   f"scoring {'them' if rejected != 1 else 'it'} again")
    return blocks


def _triples(block: pd.DataFrame, with_reference: bool) -> list[tuple[str, str, str | None]]:
    """Cache keys as :class:`~tqe.metrics.comet.Comet` forms them."""
    return [
        (str(source), str(translation), str(references[0]) if with_reference else None)
        for source, translation, references in zip(block["source"], block["translation"], block["references"])
    ]


def _open_cache(cache: Any) -> Any:
    from tqe.store.cache import CometCache

    if cache is None or isinstance(cache, CometCache):
        return cache
    return CometCache(cache)


@dataclass
class _Gathered:
    """What the driver keeps while blocks arrive: running statistic sums, every score (floats),
    the block references, and counts."""

    sums: dict[str, list[float] | None] = field(default_factory=dict)
    scores: dict[str, list[float]] = field(default_factory=dict)
    refs: list[Any] = field(default_factory=list)
    rows: int = 0
    comet_computed: int = 0


def _add_statistics(total: list[float] | None, rows: Any, integral: bool) -> list[float] | None:
    """sacrebleu's ``sum_of_lists``, row after row in input order, so the sum is the same."""
    for row in rows:
        values = [int(value) if integral else float(value) for value in row]
        if total is None:
            total = values
        else:
            for index, value in enumerate(values):
                total[index] += value
    return total


def _run_blocks(ray: Any, plan: _Plan, options: RayOptions, progress: Progress | None) -> _Gathered:
    """Run the dataset and gather, block by block, in input order."""
    import ray.data

    comet = plan.comet
    cache = _open_cache(comet["cache"]) if comet else None
    on_warning = comet["probe"].on_warning if comet else None
    blocks = _blocks(plan, cache, options.block_rows, on_warning)
    missing = sum(1 for block in blocks if comet and block[CACHED_SCORE].isna().any())  # blocks COMET must see
    total = len(plan.segments) if plan.segments is not None else 0
    plan.segments = None  # the blocks hold the table now
    rules_ref = ray.put(plan.rules) if plan.rules is not None else None
    dataset = ray.data.from_pandas(blocks)
    del blocks
    if plan.lexical or rules_ref is not None:
        dataset = dataset.map_batches(
            lexical_block, batch_size=None, batch_format="pandas",
            fn_kwargs={"lexical": plan.lexical, "rules": rules_ref},
        )
    if comet is not None and not missing:  # every score is cached: no model to load
        dataset = dataset.map_batches(_all_cached, batch_size=None, batch_format="pandas")
    elif comet is not None:
        # the CPU stage first, on every CPU; then the COMET actors get the cluster
        dataset = dataset.materialize()
        size, resources, gpus = _comet_pool(ray, comet, options.workers)
        size = min(size, missing)  # no more actors than blocks to score
        dataset = dataset.map_batches(
            CometWorker, batch_size=None, batch_format="pandas",
            fn_constructor_kwargs={"comet_options": {**comet["worker_options"], "gpus": gpus},
                                   "use_reference": plan.reference_count > 0},
            compute=ray.data.ActorPoolStrategy(size=size), **resources,
        )
    gathered = _Gathered(sums={name: None for name, _ in plan.lexical},
                         scores={name: [] for name in plan.names})
    if progress:
        progress("ray", 0, total)
    try:
        for block in dataset.iter_batches(batch_size=None, batch_format="pandas", prefetch_batches=1):
            raise_block_error(block)
            if list(block[ROW][:1]) != [gathered.rows]:
                raise RuntimeError("Ray returned blocks out of order")  # preserve_order guards this
            if comet is not None:
                new = block[NEW_SCORE].to_numpy(dtype=bool)
                gathered.comet_computed += int(new.sum())
                if cache is not None and new.any():
                    triples = _triples(block[new], comet["triple_reference"])
                    spans = [json.loads(text) if isinstance(text, str) else None for text in block[SPANS][new]]
                    cache.put_many(comet["model_id"], list(zip(triples, block["comet"][new].tolist(), spans)))
                block = block.drop(columns=[NEW_SCORE])
            for name, _ in plan.lexical:
                integral = metric_class(name).kind != "ter"
                gathered.sums[name] = _add_statistics(gathered.sums[name], block[STATS_PREFIX + name], integral)
                block = block.drop(columns=[STATS_PREFIX + name])
            for name in plan.names:
                gathered.scores[name].extend(float(value) for value in block[name])
            gathered.rows += len(block)
            gathered.refs.append(ray.put(block))
            if progress:
                progress("ray", gathered.rows, total)
    except Exception as exc:  # noqa: BLE001 - a worker's TqeError is one line; anything else stays a bug
        error = _tqe_error(exc)
        if error is not None:
            raise error from None
        raise
    return gathered


def _all_cached(block: pd.DataFrame) -> pd.DataFrame:
    """The COMET columns of a block whose scores all come from the cache."""
    scored = block.drop(columns=[CACHED_SCORE, CACHED_SPANS])
    scored["comet"] = block[CACHED_SCORE].astype(float)
    scored[NEW_SCORE] = False
    scored[SPANS] = block[CACHED_SPANS]
    return scored


def _document_metrics(plan: _Plan, gathered: _Gathered, with_segments: bool) -> dict[str, MetricResult]:
    """Each metric's document score, from the summed statistics (lexical) or the mean (COMET)."""
    from tqe.metrics.lexical import _build
    from tqe.metrics.sacrebleu_api import score_from_sum

    results: dict[str, MetricResult] = {}
    lexical = dict(plan.lexical)
    for name in plan.names:
        scores = gathered.scores[name]
        if name in lexical:
            metric = metric_class(name)(workers=1, **lexical[name])
            corpus_metric = _build(metric.kind, metric.options)
            segment_metric = _build(metric.kind, metric.options, sentence_level=True)
            for built in (corpus_metric, segment_metric):
                built.num_refs = plan.reference_count
            summed = gathered.sums[name]
            corpus = float(score_from_sum(corpus_metric, summed).score) if summed is not None else float("nan")
            results[name] = MetricResult(
                name=name, corpus_score=corpus, segment_scores=scores if with_segments else [],
                signature=str(corpus_metric.get_signature()),
                segment_signature=str(segment_metric.get_signature()),
            )
        else:
            corpus = sum(scores) / len(scores) if scores else float("nan")
            assert plan.comet is not None
            results[name] = MetricResult(name=name, corpus_score=corpus, segment_scores=scores if with_segments else [],
                                         signature=plan.comet["signature"])
    return results


def _score_flags(plan: _Plan, gathered: _Gathered) -> list[list[Any]] | None:
    """Per segment, its score flags: absolute limits and thresholds relative to the whole
    document's scores (:func:`tqe.flag.document_score_flags`, as flag_segments applies them)."""
    if plan.flag_config is None:
        return None
    scores = {name: gathered.scores[name] for name in plan.names if name in gathered.scores}
    return document_score_flags(plan.flag_config, scores, gathered.rows)


def _finished_blocks(ray: Any, plan: _Plan, gathered: _Gathered, score_flags: list[list[Any]] | None) -> Iterator[pd.DataFrame]:
    """The scored blocks, in order, with the columns and flags a single-process run gives."""
    from tqe.flag import comet_span_flags

    config = plan.flag_config
    waivers = None
    if config is not None and config.waivers_path is not None:
        from tqe.waivers import read_waivers

        waivers = read_waivers(config.waivers_path)
    spans_on = config is not None and config.check_enabled(COMET_SPANS_CHECK)
    start = 0
    for ref in gathered.refs:
        block = ray.get(ref)
        # plain Python values, so the columns get the dtypes a single-process table has
        finished = pd.DataFrame({
            "id": [str(value) for value in block["id"]],
            "paragraph": [int(value) for value in block["paragraph"]],
            "link": [str(value) for value in block["link"]],
            "source": [str(value) for value in block["source"]],
            "translation": [str(value) for value in block["translation"]],
            "references": [tuple(str(r) for r in refs) for refs in block["references"]],
            **{name: [float(value) for value in block[name]] for name in plan.names},
        })
        spans = None
        if plan.comet is not None:
            translations = [str(text) for text in block["translation"]]
            spans = [list(error_spans_of(json.loads(text), translation)) if isinstance(text, str) else None
                     for text, translation in zip(block[SPANS], translations)]
            if any(value is not None for value in spans):
                finished["comet_error_spans"] = [value or [] for value in spans]
        if config is not None:
            flags_column = []
            for row, (rule_json, reference_json) in enumerate(zip(block[RULE_FLAGS], block[REFERENCE_FLAGS])):
                flags = [Flag.from_dict(item) for item in json.loads(rule_json)]
                if spans_on and spans is not None:
                    flags.extend(comet_span_flags(spans[row] or ()))
                flags.extend(Flag.from_dict(item) for item in json.loads(reference_json))
                if score_flags is not None:
                    flags.extend(score_flags[start + row])
                flags_column.append(sort_flags(flags))
            finished["flags"] = flags_column
            if waivers is not None:
                from tqe.waivers import apply_waivers

                finished = apply_waivers(finished, waivers)
        start += len(block)
        yield finished


def _execute(
    job: _Job,
    consume: Callable[[_Plan, dict[str, MetricResult], Iterator[pd.DataFrame], _Gathered], Any],
    with_segments: bool,
) -> Any:
    require_ray()
    flag_config = (job.flag_config or FlagConfig()) if job.flags else None
    plan = _plan(job.table, job.metrics, job.metric_options or {}, flag_config, job.hooks.on_skip)
    verbose = bool((job.metric_options or {}).get("comet", {}).get("verbose"))
    options = job.options
    with _ray_session(options, verbose) as ray:
        gathered = _run_blocks(ray, plan, options, job.hooks.progress)
        results = _document_metrics(plan, gathered, with_segments)
        blocks = _finished_blocks(ray, plan, gathered, _score_flags(plan, gathered))
        return consume(plan, results, blocks, gathered)


def score_table_ray(
    table: str | Path,
    metrics: Sequence[str] | None = None,
    *,
    metric_options: Mapping[str, Mapping[str, Any]] | None = None,
    flag_config: FlagConfig | None = None,
    flags: bool = True,
    options: RayOptions = RayOptions(),
    hooks: RunHooks = RunHooks(),
) -> ScoreResult:
    """Score a table on Ray and gather every segment into a :class:`ScoreResult`, the same
    as :func:`tqe.pipeline.score` with ``table=`` gives (for tables that fit in memory; use
    :func:`write_scores_ray` for the others)."""

    def gather(plan: _Plan, results: dict[str, MetricResult], blocks: Iterator[pd.DataFrame], _: _Gathered) -> ScoreResult:
        segments = pd.concat(list(blocks), ignore_index=True)
        if "comet_error_spans" in segments:
            segments["comet_error_spans"] = [value if isinstance(value, list) else [] for value in segments["comet_error_spans"]]
            results["comet"] = replace(results["comet"], details={"comet_error_spans": list(segments["comet_error_spans"])})
        # the absolute limits the flags applied, as flag_result records them
        thresholds = plan.flag_config.absolute_thresholds(results) if plan.flag_config is not None else {}
        return ScoreResult(segments=segments, metrics=results, skipped=plan.skipped, thresholds=thresholds)

    return _execute(_Job(table, metrics, metric_options, flag_config, flags, options, hooks), gather, True)


def write_scores_ray(
    table: str | Path,
    output: str | Path,
    metrics: Sequence[str] | None = None,
    *,
    metric_options: Mapping[str, Mapping[str, Any]] | None = None,
    flag_config: FlagConfig | None = None,
    flags: bool = True,
    options: RayOptions = RayOptions(),
    hooks: RunHooks = RunHooks(),
) -> StreamedRun:
    """Score a table on Ray and write one record per segment to ``output`` (.jsonl: the lines
    of ``tqe score -f jsonl``; .parquet: one row per segment, flags as JSON text), block by
    block: the driver never holds every segment. The file appears only once complete."""
    target = Path(output)
    suffix = target.suffix.lower()
    if suffix not in STREAM_SUFFIXES:
        raise InputError(f"{target.name}: a Ray run streams to a .jsonl or .parquet file")

    def write(plan: _Plan, results: dict[str, MetricResult], blocks: Iterator[pd.DataFrame], gathered: _Gathered) -> StreamedRun:
        _write_stream(target, suffix, plan, results, blocks)
        return StreamedRun(metrics=results, skipped=plan.skipped, segment_count=gathered.rows,
                           comet_computed=gathered.comet_computed, output=target)

    return _execute(_Job(table, metrics, metric_options, flag_config, flags, options, hooks), write, False)


def _write_stream(target: Path, suffix: str, plan: _Plan, results: dict[str, MetricResult], blocks: Iterator[pd.DataFrame]) -> None:
    """Write block after block into a temporary file next to ``target``, then rename it."""
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        if suffix == ".jsonl":
            from tqe.output import to_jsonl

            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                for block in blocks:
                    handle.write(to_jsonl(ScoreResult(segments=block, metrics=results, skipped=plan.skipped)))
        else:
            _write_parquet(Path(temporary), plan, blocks)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _write_parquet(path: Path, plan: _Plan, blocks: Iterator[pd.DataFrame]) -> None:
    """One row per segment: id, paragraph, link, texts, references (list), one float column
    per metric, and flags, waived flags and COMET error spans as JSON text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tqe.io.write import strict_json

    json_columns = ["flags", "waived_flags", "comet_error_spans"]
    schema = pa.schema(
        [("id", pa.string()), ("paragraph", pa.int64()), ("link", pa.string()), ("source", pa.string()),
         ("translation", pa.string()), ("references", pa.list_(pa.string()))]
        + [(name, pa.float64()) for name in plan.names]
        + [(name, pa.string()) for name in json_columns]
    )
    with pq.ParquetWriter(path, schema) as writer:
        for block in blocks:
            columns: dict[str, Any] = {
                "id": [str(value) for value in block["id"]],
                "paragraph": [int(value) for value in block["paragraph"]],
                "link": [str(value) for value in block["link"]],
                "source": [str(value) for value in block["source"]],
                "translation": [str(value) for value in block["translation"]],
                "references": [list(value) for value in block["references"]],
            }
            for name in plan.names:
                columns[name] = [float(value) for value in block[name]]
            for name in json_columns:
                columns[name] = ([strict_json(value) if isinstance(value, list) else None for value in block[name]]
                                 if name in block else [None] * len(block))
            writer.write_table(pa.table(columns, schema=schema))
