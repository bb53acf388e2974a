"""What the scoring commands share: the run's settings built from their options, and the
progress display (:func:`tqe.cli_progress.stderr_progress`); kept apart from :mod:`tqe.cli` so that the command modules import it downward."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tqe.cli_waive import build_flag_config

if TYPE_CHECKING:
    from tqe.config import RunConfig

OUTPUT_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".tsv": "tsv", ".txt": "table"}


def run_config(options: Mapping[str, Any], *, flags: bool = True) -> RunConfig:
    """The run's settings, built once from the command's options and the settings file; a bad
    input combination, settings file or waivers file fails here, before any work."""
    from tqe.config import CometSettings, RunConfig

    source, translation, table = bilingual_input(options["source"], options["translation"], options["table"])
    check_inputs(source, translation, table)
    flag_config = build_flag_config(options["config_path"], options["glossary"], options["dnt"], options["flag_below"],
                               options["disabled"])
    cache = None
    if not options["no_cache"]:
        from tqe.store.db import DEFAULT_DB_PATH

        cache = options["db"] or DEFAULT_DB_PATH  # opened only once COMET actually runs
    comet = CometSettings(model=options["comet_model"], batch_size=options["batch_size"], gpus=options["gpus"],
                          cache=cache, verbose=options["verbose"])
    return RunConfig(source=source, translation=translation, references=options["references"], table=table,
                     segmentation=options["segmentation"], metrics=options["metrics"], comet=comet,
                     flag_config=flag_config, flags=flags)


def bilingual_input(source: str | None, translation: str | None, table: str | None) -> tuple:
    """``tqe score file.xlf``: one XLIFF, TMX or PO file stands for SOURCE and TRANSLATION
    (read like ``--table file.xlf``)."""
    if source and not translation and not table and source != "-" and Path(source).is_file():
        from tqe.io.bilingual import bilingual_kind

        with open(source, "rb") as handle:
            head = handle.read(4096)
        if bilingual_kind(source, head) in ("xliff", "tmx", "po"):
            return None, None, source
    return source, translation, table


def check_inputs(source: str | None, translation: str | None, table: str | None) -> None:
    if table and (source or translation):
        raise click.UsageError("give either SOURCE TRANSLATION or --table FILE, not both")
    if not table and not (source and translation):
        raise click.UsageError("give SOURCE and TRANSLATION files, one XLIFF/TMX/PO file, or --table FILE")
