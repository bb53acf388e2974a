"""``tqe score --engine ray``: the options, and the run that goes through :mod:`tqe.distributed`.

:func:`ray_options` wraps the ``score`` command: without ``--engine ray`` it calls the command
unchanged; with it, the table is scored on Ray here and the command's body does not run.
Nothing here imports Ray (or pandas) until a Ray run starts.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable

import click

ENGINES = ("local", "ray")


def ray_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--engine``, ``--ray-address`` and ``--ray-workers`` for ``tqe score``."""

    @functools.wraps(command)
    def wrapper(*args: Any, engine: str, ray_address: str | None, ray_workers: int | None, **kwargs: Any) -> Any:
        if engine != "ray":
            if ray_address or ray_workers:
                raise click.UsageError("--ray-address and --ray-workers need --engine ray")
            return command(*args, **kwargs)
        return score_with_ray(ray_address, ray_workers, **kwargs)

    decorators = [
        click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="'ray' scores a --table on a Ray cluster (pip install 'tqe-eval[ray]'); see README, "
                          "'Large jobs'."),
        click.option("--ray-address", default=None, metavar="ADDRESS",
                     help="With --engine ray: the cluster (host:6379, ray://host:10001 or auto). Default: "
                          "RAY_ADDRESS, else a local Ray instance."),
        click.option("--ray-workers", type=click.IntRange(min=1), default=None,
                     help="With --engine ray: COMET workers. Default: one per GPU, or one per CPU with --gpus 0."),
    ]
    for decorator in reversed(decorators):
        wrapper = decorator(wrapper)
    return wrapper


def score_with_ray(ray_address: str | None, ray_workers: int | None, **kwargs: Any) -> None:
    """Score ``--table`` on Ray; ``-o x.jsonl``/``x.parquet`` streams, anything else is
    gathered and rendered as ``tqe score`` renders it."""
    from tqe.cli_common import default_format, say_wrote, skip_warner, write_or_print
    from tqe.cli_history import warning_line
    from tqe.cli_progress import stderr_progress
    from tqe.cli_run import OUTPUT_SUFFIX_FORMATS, run_config
    from tqe.distributed import require_ray

    table, output, fmt, quiet = kwargs["table"], kwargs["output"], kwargs["fmt"], kwargs["quiet"]
    if not table or kwargs["source"] or kwargs["translation"] or kwargs["references"]:
        raise click.UsageError("--engine ray scores one --table FILE (no SOURCE, TRANSLATION or -r)")
    if kwargs.get("save"):
        raise click.UsageError("--save does not work with --engine ray; save a single-process run instead")
    streamed = output is not None and output.suffix.lower() in (".jsonl", ".parquet") and fmt in (None, "jsonl")
    if output is not None and not streamed and fmt is None and output.suffix.lower() not in OUTPUT_SUFFIX_FORMATS:
        raise click.BadParameter(f"{output.name}: name the file .jsonl or .parquet (streamed), or .json, .csv, "
                                 ".tsv or .txt, or give -f/--format", param_hint="-o/--output")
    require_ray()  # one line naming the extra, before the table is read
    from tqe.distributed.engine import RayOptions, RunHooks, score_table_ray, write_scores_ray

    options = RayOptions(address=ray_address, workers=ray_workers)
    config = run_config(kwargs, flags=not kwargs["no_flags"])
    progress = stderr_progress(quiet)
    metric_options = config.metric_options()
    hooks = {"progress": progress, "on_warning": warning_line(quiet)}
    metric_options["comet"].update({name: hook for name, hook in hooks.items() if hook is not None})
    settings = dict(
        metrics=config.metrics, metric_options=metric_options, flag_config=config.flag_config, flags=config.flags,
        options=options, hooks=RunHooks(on_skip=skip_warner(quiet), progress=progress),
    )
    if streamed:
        run = write_scores_ray(table, Path(output), **settings)
        scores = ", ".join(f"{name} {value:.4g}" for name, value in run.corpus.items())
        say_wrote(output, quiet, f"{run.segment_count} segments; {scores}")
        return
    from tqe.output import render

    result = score_table_ray(table, **settings)
    write_or_print(render(result, fmt or default_format(output, OUTPUT_SUFFIX_FORMATS)), output)
    say_wrote(output, quiet)
