"""Score and compare two translation files as ``tqe compare A B --source`` does; shared by the
comparison tests."""

from __future__ import annotations

from tqe.compare import compare_files as scored_files_comparison


def compare_files(source, translation_a, translation_b, references=(), *, metrics=None, segmentation="sentences",
                  flag_config=None):
    """Score and flag both files as ``tqe compare A B --source`` does, then compare them."""
    import tqe.pipeline

    def score_file(path):
        return tqe.pipeline.score(source, path, list(references), metrics=metrics, segmentation=segmentation,
                                  flag_config=flag_config, flags=True)

    return scored_files_comparison(score_file, translation_a, translation_b, has_references=bool(references),
                                   metrics=metrics)
