"""COMET through tqe matches COMET's own predict, caches every score and fails in one line.

The models are tiny random-weight checkpoints built offline by tests/comet_fixture.py.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import pytest
from comet_fixture import require_comet_extra

from tqe.errors import MetricError
from tqe.metrics.base import MetricResult
from tqe.model import ErrorSpan
from tqe.store.cache import CometCache

REPO = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-6


def test_importing_tqe_comet_loads_no_torch() -> None:
    code = (
        "import sys, tqe, tqe.metrics.comet, tqe.store.cache\n"
        "heavy = sorted(m for m in ('torch', 'comet', 'transformers', 'pytorch_lightning',"
        " 'huggingface_hub') if m in sys.modules)\n"
        "print(','.join(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""


def test_comet_available_names_the_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from tqe.metrics import comet as tqe_comet

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "torch" else real_find_spec(name, *args),
    )
    reason = tqe_comet.comet_available()
    assert reason is not None and "torch is not installed" in reason and "pip install" in reason
    with pytest.raises(MetricError, match="torch is not installed"):
        tqe_comet.Comet(model="anything").compute(["a"], ["b"], None)



class PredictSpy:
    """Counts COMET predict calls and the samples they score; can fail on a chosen call."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_on_call: int | None = None) -> None:
        from comet.models.base import CometModel

        self.calls = 0
        self.samples: list[dict[str, str]] = []
        real_predict = CometModel.predict
        spy = self

        def predict(model: Any, samples: list[dict[str, str]], *args: Any, **kwargs: Any) -> Any:
            spy.calls += 1
            if fail_on_call is not None and spy.calls == fail_on_call:
                raise KeyboardInterrupt
            spy.samples.extend(samples)
            return real_predict(model, samples, *args, **kwargs)

        monkeypatch.setattr(CometModel, "predict", predict)


def _columns(sample: list[tuple[str, str, str]]) -> tuple[list[str], list[str], list[str]]:
    return [s for s, _, _ in sample], [t for _, t, _ in sample], [r for _, _, r in sample]


def _comet_predict(model_dir: Path, samples: list[dict[str, str]], batch_size: int = 8) -> Any:
    """COMET's own answer: load_from_checkpoint + predict, as its documentation shows."""
    from comet import load_from_checkpoint

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Lightning's deprecation notices, not ours to fix
        model = load_from_checkpoint(str(model_dir / "checkpoints" / "model.ckpt"))
        return model.predict(samples, batch_size=batch_size, gpus=0, progress_bar=False)


def _metric(model_dir: Path, **options: Any) -> Any:
    from tqe.metrics.comet import Comet

    options.setdefault("gpus", 0)
    options.setdefault("batch_size", 8)
    return Comet(model=str(model_dir), **options)


def _assert_close(ours: list[float], theirs: list[float]) -> None:
    assert len(ours) == len(theirs)
    assert max(abs(a - b) for a, b in zip(ours, theirs)) <= TOLERANCE


@pytest.mark.comet
def test_reference_based_scores_equal_comet_predict(comet_models, comet_sample) -> None:
    sources, translations, references = _columns(comet_sample)
    result = _metric(comet_models["regression"]).compute(sources, translations, [references])
    expected = _comet_predict(
        comet_models["regression"],
        [{"src": s, "mt": t, "ref": r} for s, t, r in comet_sample],
    )
    assert isinstance(result, MetricResult)
    assert result.name == "comet"
    _assert_close(result.segment_scores, expected.scores)
    assert abs(result.corpus_score - expected.system_score) <= TOLERANCE
    assert len({round(score, 4) for score in result.segment_scores}) > 10  # the scores vary
    assert result.details == {}


@pytest.mark.comet
def test_reference_free_scores_equal_comet_predict(comet_models, comet_sample) -> None:
    sources, translations, _ = _columns(comet_sample)
    result = _metric(comet_models["referenceless"]).compute(sources, translations, None)
    expected = _comet_predict(
        comet_models["referenceless"], [{"src": s, "mt": t} for s, t, _ in comet_sample]
    )
    _assert_close(result.segment_scores, expected.scores)
    assert abs(result.corpus_score - expected.system_score) <= TOLERANCE
    assert len({round(score, 4) for score in result.segment_scores}) > 10
    assert result.signature.endswith("|refs:0")


@pytest.mark.comet
def test_error_spans_are_kept_per_segment(comet_models, comet_sample, tmp_path) -> None:
    sources, translations, references = _columns(comet_sample)
    cache = CometCache(tmp_path / "history.db")
    result = _metric(comet_models["xcomet"], cache=cache).compute(
        sources, translations, [references]
    )
    expected = _comet_predict(
        comet_models["xcomet"], [{"src": s, "mt": t, "ref": r} for s, t, r in comet_sample]
    )
    _assert_close(result.segment_scores, expected.scores)
    spans = result.details["comet_error_spans"]
    assert len(spans) == len(sources)
    assert any(spans)  # random heads flag something
    for translation, ours, theirs in zip(translations, spans, expected.metadata.error_spans):
        # checked once, here: each span is the very text at its offsets, inside COMET's own span
        # (COMET's text may start with its "<s>" token or a space), with COMET's severity
        assert len(ours) == len(theirs)
        for span, raw in zip(ours, theirs):
            assert isinstance(span, ErrorSpan)
            assert translation[span.start:span.end] == span.text == span.text.strip() != ""
            assert int(raw["start"]) <= span.start < span.end <= int(raw["end"])
            assert span.text in raw["text"] and span.severity == raw["severity"]
            assert span.confidence == pytest.approx(float(raw["confidence"]))
    json.dumps([[span.to_dict() for span in segment] for segment in spans])  # fit for JSON and the cache
    again = _metric(comet_models["xcomet"], cache=cache).compute(
        sources, translations, [references]
    )
    assert again.details["comet_error_spans"] == spans


@pytest.mark.comet
def test_signature_names_model_version_and_references(comet_models, comet_sample) -> None:
    from importlib.metadata import version

    sources, translations, references = _columns(comet_sample[:5])
    metric = _metric(comet_models["regression"])
    one = metric.compute(sources, translations, [references])
    assert one.signature == (
        f"comet|model:{comet_models['regression']}|version:{version('unbabel-comet')}|refs:1"
    )
    other = [r.upper() for r in references]
    two = metric.compute(sources, translations, [references, other])
    assert two.signature.endswith("|refs:1-of-2")
    assert two.segment_scores == one.segment_scores  # the first reference stream is used


@pytest.mark.comet
def test_reference_free_model_ignores_given_references(comet_models, comet_sample) -> None:
    sources, translations, references = _columns(comet_sample[:6])
    metric = _metric(comet_models["referenceless"])
    with_refs = metric.compute(sources, translations, [references])
    without = metric.compute(sources, translations, None)
    assert with_refs.segment_scores == without.segment_scores
    assert with_refs.signature.endswith("|refs:0")


@pytest.mark.comet
def test_reference_based_model_without_reference_is_an_error(comet_models) -> None:
    metric = _metric(comet_models["regression"])
    assert metric.needs_reference is True
    assert _metric(comet_models["referenceless"]).needs_reference is False
    with pytest.raises(MetricError, match="needs a reference"):
        metric.compute(["Hello."], ["Bonjour."], None)


def test_default_models_follow_references() -> None:
    from tqe.metrics.comet import DEFAULT_MODEL, DEFAULT_QE_MODEL, Comet

    metric = Comet()
    assert metric.needs_reference is False
    assert metric.model_name(has_reference=True) == DEFAULT_MODEL == "Unbabel/wmt22-comet-da"
    assert metric.model_name(has_reference=False) == DEFAULT_QE_MODEL
    assert Comet(model="x").model_name(has_reference=False) == "x"


@pytest.mark.comet
def test_identical_segments_are_scored_once(comet_models, comet_sample, monkeypatch) -> None:
    sample = comet_sample[:5] * 3
    sources, translations, references = _columns(sample)
    spy = PredictSpy(monkeypatch)
    result = _metric(comet_models["regression"]).compute(sources, translations, [references])
    assert len(spy.samples) == 5
    assert result.segment_scores[:5] == result.segment_scores[5:10] == result.segment_scores[10:]


@pytest.mark.comet
def test_cache_scores_only_what_changed(comet_models, comet_sample, tmp_path, monkeypatch) -> None:
    sources, translations, references = _columns(comet_sample)
    cache = CometCache(tmp_path / "history.db")
    first = _metric(comet_models["regression"], cache=cache).compute(
        sources, translations, [references]
    )
    assert cache.count() == len(comet_sample)

    spy = PredictSpy(monkeypatch)
    second = _metric(comet_models["regression"], cache=cache).compute(
        sources, translations, [references]
    )
    assert spy.calls == 0
    assert second.segment_scores == first.segment_scores
    assert second.corpus_score == first.corpus_score

    translations[7] = translations[7] + " Vraiment."
    third = _metric(comet_models["regression"], cache=cache).compute(
        sources, translations, [references]
    )
    assert spy.samples == [
        {"src": sources[7], "mt": translations[7], "ref": references[7]}
    ]
    expected = _comet_predict(
        comet_models["regression"],
        [{"src": s, "mt": t, "ref": r} for s, t, r in zip(sources, translations, references)],
    )
    _assert_close(third.segment_scores, expected.scores)
    assert third.segment_scores[7] != first.segment_scores[7]


@pytest.mark.comet
def test_cache_path_is_opened_only_when_comet_runs(comet_models, comet_sample, tmp_path) -> None:
    from tqe.metrics.comet import Comet

    path = tmp_path / ".tqe" / "history.db"
    with pytest.raises(MetricError):
        Comet(model=str(tmp_path / "missing"), gpus=0, cache=path).compute(["a"], ["b"], None)
    assert not path.exists()
    sources, translations, _ = _columns(comet_sample[:3])
    _metric(comet_models["referenceless"], cache=path).compute(sources, translations, None)
    assert CometCache(path).count() == 3


@pytest.mark.comet
def test_no_cache_recomputes(comet_models, comet_sample, monkeypatch) -> None:
    sources, translations, references = _columns(comet_sample[:4])
    spy = PredictSpy(monkeypatch)
    metric = _metric(comet_models["regression"])
    metric.compute(sources, translations, [references])
    metric.compute(sources, translations, [references])
    assert len(spy.samples) == 8


@pytest.mark.comet
def test_interrupted_run_keeps_finished_chunks(
    comet_models, comet_sample, tmp_path, monkeypatch
) -> None:
    sources, translations, references = _columns(comet_sample)
    path = tmp_path / "history.db"
    spy = PredictSpy(monkeypatch, fail_on_call=2)
    metric = _metric(comet_models["regression"], cache=CometCache(path), chunk_size=16)
    with pytest.raises(KeyboardInterrupt):
        metric.compute(sources, translations, [references])
    assert spy.calls == 2

    cache = CometCache(path)
    assert cache.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cache.count() == 16

    resumed = PredictSpy(monkeypatch)
    result = _metric(comet_models["regression"], cache=cache).compute(
        sources, translations, [references]
    )
    assert len(resumed.samples) == len(comet_sample) - 16
    expected = _comet_predict(
        comet_models["regression"], [{"src": s, "mt": t, "ref": r} for s, t, r in comet_sample]
    )
    _assert_close(result.segment_scores, expected.scores)


@pytest.mark.comet
@pytest.mark.filterwarnings("ignore:Found keys that are in the model state dict")
def test_fast_load_gives_comets_model(comet_models, tmp_path, monkeypatch) -> None:
    """Skipping random initialisation must not change a weight; a checkpoint that lacks some
    weights is loaded again COMET's way (random values there, as COMET would have)."""
    import shutil

    import comet
    import torch

    from tqe.metrics.comet import load_checkpoint

    checkpoint = comet_models["regression"] / "checkpoints" / "model.ckpt"
    ours = load_checkpoint(checkpoint).state_dict()
    theirs = comet.load_from_checkpoint(str(checkpoint)).state_dict()
    assert ours.keys() == theirs.keys()
    assert all(torch.equal(ours[key], theirs[key]) for key in ours)

    partial = tmp_path / "partial"
    shutil.copytree(comet_models["regression"], partial)
    stored = torch.load(partial / "checkpoints" / "model.ckpt", weights_only=True)
    del stored["state_dict"]["estimator.ff.0.bias"]
    torch.save(stored, partial / "checkpoints" / "model.ckpt")
    calls: list[str] = []
    real_load = comet.load_from_checkpoint

    def counting_load(path: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(path)
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(comet, "load_from_checkpoint", counting_load)
    model = load_checkpoint(partial / "checkpoints" / "model.ckpt")
    assert len(calls) == 2
    assert torch.isfinite(model.estimator.ff[0].bias).all()


@pytest.mark.comet
def test_changed_checkpoint_is_a_new_model(comet_models) -> None:
    from tqe.metrics.comet import resolve_model

    model_dir = comet_models["referenceless"]
    before = resolve_model(str(model_dir))
    checkpoint = model_dir / "checkpoints" / "model.ckpt"
    stat = checkpoint.stat()
    os.utime(checkpoint, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = resolve_model(str(model_dir))
    assert before.model_id != after.model_id
    assert after.model_id.endswith("|comet:" + after.model_id.rsplit("|comet:", 1)[1])
    assert resolve_model(str(checkpoint)).model_id == after.model_id  # folder or .ckpt: same


@pytest.mark.comet
@pytest.mark.filterwarnings("ignore::FutureWarning")  # verbose shows Lightning's own notices
def test_no_banners_unless_verbose(comet_models, comet_sample, capfd, caplog) -> None:
    sources, translations, _ = _columns(comet_sample[:3])
    _metric(comet_models["referenceless"]).compute(sources, translations, None)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert "GPU available" not in caplog.text

    _metric(comet_models["referenceless"], verbose=True).compute(sources, translations, None)
    out, err = capfd.readouterr()
    assert "GPU available" in out + err + caplog.text


@pytest.mark.comet
def test_progress_callback_counts_computed_segments(comet_models, comet_sample) -> None:
    sources, translations, _ = _columns(comet_sample[:10])
    seen: list[tuple[str, int, int]] = []
    metric = _metric(
        comet_models["referenceless"],
        batch_size=2,
        chunk_size=5,  # rounded down to whole batches: 4
        progress=lambda *event: seen.append(event),
    )
    metric.compute(sources, translations, None)
    assert seen == [("comet", 0, 10), ("comet", 4, 10), ("comet", 8, 10), ("comet", 10, 10)]


@pytest.mark.comet
def test_empty_input(comet_models) -> None:
    result = _metric(comet_models["referenceless"]).compute([], [], None)
    assert result.segment_scores == []
    assert math.isnan(result.corpus_score)


@pytest.mark.comet
def test_bad_model_paths_are_one_line_errors(comet_models, tmp_path) -> None:
    from tqe.metrics.comet import Comet

    cases = {
        str(tmp_path / "nowhere"): "does not exist",
        str(tmp_path / "model.ckpt"): "does not exist",
        str(tmp_path): "checkpoints/model.ckpt is missing",
    }
    for model, message in cases.items():
        with pytest.raises(MetricError, match=message) as caught:
            Comet(model=model, gpus=0).compute(["a"], ["b"], None)
        assert "\n" not in str(caught.value)

    lone = tmp_path / "lone" / "checkpoints"
    lone.mkdir(parents=True)
    (lone / "model.ckpt").write_bytes(b"not a checkpoint")
    with pytest.raises(MetricError, match="no hparams.yaml"):
        Comet(model=str(lone / "model.ckpt"), gpus=0).compute(["a"], ["b"], None)
    (lone.parent / "hparams.yaml").write_text("class_identifier: regression_metric\n")
    with pytest.raises(MetricError, match="cannot load COMET model"):
        Comet(model=str(lone.parent), gpus=0).compute(["a"], ["b"], [["c"]])


@pytest.mark.comet
def test_gpu_requests_are_checked() -> None:
    require_comet_extra("torch")
    import torch

    from tqe.metrics.comet import Comet

    with pytest.raises(MetricError, match="one GPU at most"):
        Comet(model="x", gpus=2).compute(["a"], ["b"], None)
    if not torch.cuda.is_available() and not torch.backends.mps.is_available():
        with pytest.raises(MetricError, match="--gpus 0"):
            Comet(model="x", gpus=1).compute(["a"], ["b"], None)
    with pytest.raises(MetricError):
        Comet(batch_size=0)


@pytest.mark.comet
def test_gated_and_unknown_hub_models(monkeypatch) -> None:
    require_comet_extra("comet", "torch", "huggingface_hub")
    import huggingface_hub
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    from tqe.metrics.comet import Comet

    def gated(**kwargs: Any) -> str:
        raise GatedRepoError("401 Client Error: access to model is restricted")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", gated)
    with pytest.raises(MetricError, match="is gated: accept its licence") as caught:
        Comet(model="Unbabel/wmt22-cometkiwi-da", gpus=0).compute(["a"], ["b"], None)
    assert "HF_TOKEN" in str(caught.value)

    def unknown(**kwargs: Any) -> str:
        raise RepositoryNotFoundError("404 Client Error")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", unknown)
    with pytest.raises(MetricError, match="not found on the Hugging Face hub"):
        Comet(model="Unbabel/no-such-model", gpus=0).compute(["a"], ["b"], None)


_OFFLINE_SCRIPT = textwrap.dedent(
    """
    import sys
    from tqe.errors import MetricError
    from tqe.metrics.comet import Comet
    try:
        Comet(model=sys.argv[1] or None, gpus=0).compute(["Hello."], ["Bonjour."], [["Salut."]])
    except MetricError as exc:
        print("MetricError:", exc)
    """
)


def _run_offline(tmp_path: Path, env: dict[str, str], model: str = "") -> subprocess.CompletedProcess:
    full_env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_ETAG_TIMEOUT": "2", **env}
    full_env.pop("HF_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-c", _OFFLINE_SCRIPT, model],
        cwd=tmp_path,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.comet
@pytest.mark.parametrize(
    "env, reason",
    [
        ({"HF_HUB_OFFLINE": "1"}, "HF_HUB_OFFLINE is set"),
        ({"HF_HUB_OFFLINE": "0", "HF_ENDPOINT": "http://127.0.0.1:9"}, "the hub cannot be reached"),
    ],
    ids=["offline", "unreachable"],
)
def test_uncached_hub_model_without_network(tmp_path, env, reason) -> None:
    done = _run_offline(tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "MetricError: COMET model Unbabel/wmt22-comet-da is not in the Hugging Face cache and "
        f"{reason}; run once with network access to download it, or pass --comet-model PATH "
        "to a local COMET checkpoint"
    )
    assert done.stderr == ""  # nothing else printed on a normal (not verbose) run


@pytest.mark.comet
def test_uncached_encoder_offline(comet_models, tmp_path) -> None:
    """A local checkpoint whose encoder (e.g. xlm-roberta-large) is not in the cache."""
    import shutil

    import torch

    model_dir = tmp_path / "model"
    shutil.copytree(comet_models["referenceless"], model_dir)
    checkpoint = model_dir / "checkpoints" / "model.ckpt"
    stored = torch.load(checkpoint, weights_only=True)
    stored["hyper_parameters"]["pretrained_model"] = "tqe-test/no-such-encoder"
    torch.save(stored, checkpoint)
    hparams = model_dir / "hparams.yaml"
    hparams.write_text(
        "\n".join(
            "pretrained_model: tqe-test/no-such-encoder" if line.startswith("pretrained_model:")
            else line
            for line in hparams.read_text().splitlines()
        )
    )
    done = _run_offline(tmp_path, {"HF_HUB_OFFLINE": "1"}, str(model_dir))
    assert done.returncode == 0, done.stderr
    message = done.stdout.strip()
    assert message.startswith(
        f"MetricError: COMET model {model_dir} needs the encoder files of tqe-test/no-such-encoder, "
        "which are not in the Hugging Face cache and cannot be downloaded (HF_HUB_OFFLINE is "
        "set); run once with network access"
    ), message
    assert "\n" not in message


def test_a_model_that_cannot_be_found_is_reported_before_importing_comet(tmp_path) -> None:
    """A skipped COMET should cost nothing: the model is looked up before torch and comet load."""
    code = (
        "import sys\n"
        "from tqe.errors import MetricError\n"
        "from tqe.metrics.comet import Comet\n"
        f"try:\n    Comet(model={str(tmp_path / 'missing')!r}).compute(['a'], ['b'], None)\n"
        "except MetricError as exc:\n    print('error:', exc)\n"
        "print(sorted(m for m in ('torch', 'comet', 'pytorch_lightning') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert "error:" in done.stdout and "missing" in done.stdout
    assert done.stdout.strip().endswith("[]")


@pytest.mark.comet
def test_damaged_cache_rows_are_scored_again_with_one_warning(
    comet_models, comet_sample, tmp_path, monkeypatch
) -> None:
    from tqe.store.cache import cache_key

    sources, translations, references = _columns(comet_sample[:12])
    path = tmp_path / "history.db"
    model = comet_models["regression"]
    first = _metric(model, cache=CometCache(path)).compute(sources, translations, [references])
    cache = CometCache(path)
    model_id = next(iter(cache.conn.execute("SELECT DISTINCT model_id FROM comet_cache")))[0]
    for index, value in ((2, "9e999"), (5, "'not a number'")):
        key = cache_key(model_id, (sources[index], translations[index], references[index]))
        cache.conn.execute(f"UPDATE comet_cache SET score = {value} WHERE key = ?", (key,))

    spy = PredictSpy(monkeypatch)
    heard: list[str] = []
    second = _metric(model, cache=CometCache(path), on_warning=heard.append).compute(
        sources, translations, [references]
    )
    assert heard == [
        f"ignored 2 damaged COMET cache rows in {path} (score is not a finite number, score stored as "
        "str, not a number); scoring them again"
    ]
    assert sorted(sample["src"] for sample in spy.samples) == sorted([sources[2], sources[5]])
    assert math.isfinite(second.corpus_score)
    _assert_close(second.segment_scores, first.segment_scores)
    assert CometCache(path).get_many(model_id, [(sources[2], translations[2], references[2])])  # repaired

    for index in (2, 5):  # damage again: a library caller without a callback gets a Python warning
        key = cache_key(model_id, (sources[index], translations[index], references[index]))
        cache.conn.execute("UPDATE comet_cache SET score = x'00' WHERE key = ?", (key,))
    with pytest.warns(RuntimeWarning, match="ignored 2 damaged COMET cache rows"):
        third = _metric(model, cache=CometCache(path)).compute(sources, translations, [references])
    _assert_close(third.segment_scores, first.segment_scores)


@pytest.mark.comet
def test_resumed_run_matches_a_clean_run_within_the_stated_tolerance(
    comet_models, comet_sample, tmp_path, monkeypatch
) -> None:
    """README: a resumed run is not bit for bit a cold run (other batches, other padding), but
    within RESUME_TOLERANCE of it."""
    from tqe.metrics.comet import RESUME_TOLERANCE

    sources, translations, references = _columns(comet_sample)
    model = comet_models["regression"]
    clean = _metric(model, cache=CometCache(tmp_path / "clean.db")).compute(sources, translations, [references])

    path = tmp_path / "resumed.db"
    PredictSpy(monkeypatch, fail_on_call=3)
    with pytest.raises(KeyboardInterrupt):
        _metric(model, cache=CometCache(path), chunk_size=8).compute(sources, translations, [references])
    assert CometCache(path).count() == 16
    monkeypatch.undo()
    resumed = _metric(model, cache=CometCache(path)).compute(sources, translations, [references])
    differences = [abs(a - b) for a, b in zip(resumed.segment_scores, clean.segment_scores)]
    assert max(differences) <= RESUME_TOLERANCE
    assert abs(resumed.corpus_score - clean.corpus_score) <= RESUME_TOLERANCE
