"""Tiny COMET checkpoints built offline, for tests and the COMET benchmark.

Real COMET models need a multi-gigabyte download; these are built from scratch in a few
seconds: an XLM-R encoder with a small config, a SentencePiece-style Unigram tokenizer trained
in memory on the sentences below, random weights (``load_pretrained_weights=False``) and COMET's
on-disk layout (``MODEL_DIR/checkpoints/model.ckpt`` + ``MODEL_DIR/hparams.yaml``), so
``comet.load_from_checkpoint`` and ``comet-score`` load them without any network.

Use from ``tests/conftest.py`` with ``from comet_fixture import comet_models, comet_sample``
(both session fixtures), or call :func:`build_comet_model` directly (the benchmark does).
"""

from __future__ import annotations

import itertools
import json
import math
import random
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

# Encoder sizes: tiny for tests, XLM-R base for the benchmark.
TINY_ENCODER = {
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 37,
}
BASE_ENCODER = {
    "hidden_size": 768,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "vocab_size": 250002,  # XLM-R's vocabulary, so the checkpoint has a realistic size
}

KINDS = ("regression", "referenceless", "xcomet")

_EN_SUBJECTS = [
    "The committee", "Our neighbour", "The young engineer", "A tired doctor", "The old farmer",
    "My sister", "The city council", "A small company", "The teacher", "Every visitor",
]
_FR_SUBJECTS = [
    "Le comité", "Notre voisin", "La jeune ingénieure", "Un médecin fatigué", "Le vieux fermier",
    "Ma sœur", "Le conseil municipal", "Une petite entreprise", "L'enseignant", "Chaque visiteur",
]
_EN_VERBS = [
    "approved", "rejected", "repaired", "described", "painted", "sold", "visited", "studied",
]
_FR_VERBS = [
    "a approuvé", "a rejeté", "a réparé", "a décrit", "a peint", "a vendu", "a visité", "a étudié",
]
_EN_OBJECTS = [
    "the new bridge", "a detailed report", "the broken window", "the annual budget",
    "an old painting", "the quiet village", "the harbour", "a difficult question",
]
_FR_OBJECTS = [
    "le nouveau pont", "un rapport détaillé", "la fenêtre cassée", "le budget annuel",
    "un vieux tableau", "le village tranquille", "le port", "une question difficile",
]
_EN_TAILS = ["", " yesterday", " last week", " before the storm", " with great care"]
_FR_TAILS = ["", " hier", " la semaine dernière", " avant la tempête", " avec grand soin"]


def sample_sentences(count: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """``count`` (source, translation, reference) triples: English sources, French texts.

    The translation is the reference with one word group swapped now and then, so scores differ.
    """
    rng = random.Random(seed)
    combos = list(
        itertools.product(
            range(len(_EN_SUBJECTS)), range(len(_EN_VERBS)), range(len(_EN_OBJECTS)),
            range(len(_EN_TAILS)),
        )
    )
    rng.shuffle(combos)
    triples = []
    for n in range(count):
        s, v, o, t = combos[n % len(combos)]
        source = f"{_EN_SUBJECTS[s]} {_EN_VERBS[v]} {_EN_OBJECTS[o]}{_EN_TAILS[t]}."
        reference = f"{_FR_SUBJECTS[s]} {_FR_VERBS[v]} {_FR_OBJECTS[o]}{_FR_TAILS[t]}."
        wrong_object = _FR_OBJECTS[(o + 1 + n) % len(_FR_OBJECTS)]
        translation = (
            f"{_FR_SUBJECTS[s]} {_FR_VERBS[v]} {wrong_object}{_FR_TAILS[t]}."
            if n % 3 == 0
            else reference
        )
        if n >= len(combos):  # more sentences than combinations: keep them distinct
            source, translation, reference = (
                f"{text} ({n // len(combos)})" for text in (source, translation, reference)
            )
        triples.append((source, translation, reference))
    return triples


def _training_text() -> list[str]:
    """Every word the sample sentences use, in English and French, several times over."""
    lines = []
    for source, translation, reference in sample_sentences(400, seed=1):
        lines.extend([source, translation, reference])
    return lines


def _with_whole_words(backend: Any, texts: Sequence[str]) -> Any:
    """Add every word of ``texts`` as one piece, scored by its frequency.

    A Unigram model trained on a few pages splits most words in two; with whole words a
    sentence has about as many tokens as XLM-R's real 250k-piece vocabulary gives it.
    """
    from tokenizers import Tokenizer

    counts: dict[str, int] = {}
    for text in texts:
        for word in text.split():
            word = word.strip(".,;:!?()[]\"'«»“”’")
            if word:
                counts["▁" + word] = counts.get("▁" + word, 0) + 1
    total = sum(counts.values())
    spec = json.loads(backend.to_str())
    known = {piece for piece, _ in spec["model"]["vocab"]}
    spec["model"]["vocab"] += [
        [piece, math.log(count / total)] for piece, count in counts.items() if piece not in known
    ]
    return Tokenizer.from_str(json.dumps(spec))


def build_tokenizer(
    dest: Path,
    vocab_size: int = 600,
    texts: Sequence[str] | None = None,
    whole_words: bool = False,
) -> Any:
    """Train a Unigram (SentencePiece-style) tokenizer in memory and save it as XLM-R's fast one.

    Trained on ``texts`` (default: the sample sentences). XLM-R's ids are kept: <s>=0, <pad>=1,
    </s>=2, <unk>=3, <mask> last.
    """
    from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, trainers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing
    from transformers import XLMRobertaTokenizerFast

    backend = Tokenizer(Unigram())
    backend.normalizer = normalizers.Sequence([normalizers.Nmt(), normalizers.NFKC()])
    backend.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    backend.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
        unk_token="<unk>",
        show_progress=False,
    )
    corpus = list(texts) if texts else _training_text()
    backend.train_from_iterator(corpus, trainer=trainer)
    if whole_words:
        backend = _with_whole_words(backend, corpus)
    backend.add_special_tokens(["<mask>"])
    backend.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    tokenizer = XLMRobertaTokenizerFast(
        tokenizer_object=backend,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=512,
    )
    assert tokenizer.convert_tokens_to_ids(["<s>", "<pad>", "</s>", "<unk>"]) == [0, 1, 2, 3]
    tokenizer.save_pretrained(str(dest))
    return tokenizer


def build_encoder(
    dest: Path,
    encoder: dict[str, int] | None = None,
    texts: Sequence[str] | None = None,
    vocab_size: int = 600,
    whole_words: bool = False,
) -> Path:
    """Write an XLM-R config and tokenizer to ``dest``: what COMET's ``pretrained_model`` names."""
    from transformers import XLMRobertaConfig

    sizes = dict(TINY_ENCODER if encoder is None else encoder)
    dest.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer(dest, vocab_size, texts, whole_words)
    sizes.setdefault("vocab_size", len(tokenizer))
    config = XLMRobertaConfig(
        max_position_embeddings=514,
        type_vocab_size=1,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        **sizes,
    )
    config.save_pretrained(str(dest))
    return dest


def _model_class(kind: str) -> Any:
    from comet.models import ReferencelessRegression, RegressionMetric, XCOMETMetric

    return {
        "regression": RegressionMetric,
        "referenceless": ReferencelessRegression,
        "xcomet": XCOMETMetric,
    }[kind]


def build_comet_model(
    dest: Path,
    kind: str = "regression",
    encoder: dict[str, int] | None = None,
    hidden_sizes: list[int] | None = None,
    seed: int = 7,
    texts: Sequence[str] | None = None,
    vocab_size: int = 600,
    whole_words: bool = False,
    **model_options: Any,
) -> Path:
    """Build a random-weight COMET model of ``kind`` (see KINDS) in ``dest`` and return ``dest``.

    ``dest/encoder`` holds the XLM-R config and tokenizer the checkpoint points at (by absolute
    path), ``dest/checkpoints/model.ckpt`` and ``dest/hparams.yaml`` are COMET's own layout.
    ``texts``, ``vocab_size`` and ``whole_words`` shape the tokenizer; ``model_options`` go to
    the COMET class.
    """
    import pytorch_lightning
    import torch
    import yaml

    dest = Path(dest).resolve()
    encoder_dir = build_encoder(dest / "encoder", encoder, texts, vocab_size, whole_words)
    options: dict[str, Any] = {
        "pretrained_model": str(encoder_dir),
        "encoder_model": "XLM-RoBERTa",
        "load_pretrained_weights": False,
        "local_files_only": True,
        "hidden_sizes": hidden_sizes or [16],
        "nr_frozen_epochs": 0.0,
    }
    if kind == "xcomet":
        layers = (encoder or TINY_ENCODER)["num_hidden_layers"]
        options.update(word_layer=layers, layer_transformation="softmax", layer_norm=True)
    options.update(model_options)
    torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Lightning and torchmetrics import-time notices
        model = _model_class(kind)(**options)
    # Random heads give scores in a narrow band; widen the last layer so segments differ clearly.
    with torch.no_grad():
        last = [m for m in model.estimator.modules() if isinstance(m, torch.nn.Linear)][-1]
        last.weight.mul_(20.0)
    hparams = dict(model.hparams)
    checkpoint = {
        "state_dict": model.state_dict(),
        "hyper_parameters": hparams,
        "pytorch-lightning_version": pytorch_lightning.__version__,
        "epoch": 0,
        "global_step": 0,
    }
    (dest / "checkpoints").mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, dest / "checkpoints" / "model.ckpt")
    (dest / "hparams.yaml").write_text(yaml.safe_dump(hparams), encoding="utf-8")
    return dest


_built: dict[str, Path] = {}  # the same folders whichever module imports the fixture

#: what building and running the tiny checkpoints imports (all come with the [comet] extra)
COMET_MODULES = ("comet", "torch", "transformers", "tokenizers")


def require_comet_extra(*modules: str) -> None:
    """Skip the calling test, with a reason, when the [comet] extra (or one of ``modules``,
    by default every module the tiny checkpoints need) is not installed."""
    for module in modules or COMET_MODULES:
        pytest.importorskip(module, reason=f"needs {module} from the [comet] extra: pip install 'tqe-eval[comet]'")


@pytest.fixture(scope="session")
def comet_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny COMET model folders keyed by kind: regression, referenceless, xcomet (built once)."""
    require_comet_extra()
    if not _built:
        root = tmp_path_factory.mktemp("comet-models")
        _built.update({kind: build_comet_model(root / kind, kind) for kind in KINDS})
    return dict(_built)


@pytest.fixture(scope="session")
def comet_sample() -> list[tuple[str, str, str]]:
    """Forty (source, translation, reference) triples in English -> French."""
    return sample_sentences(40)
