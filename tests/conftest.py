"""Fixtures shared by several test modules."""

from comet_fixture import comet_models, comet_sample  # noqa: F401  (session fixtures: tiny COMET checkpoints)
