"""Errors that stop a whole run (exit 2), as opposed to a file's problem, which costs only that
file. Each message says how to fix it."""

from __future__ import annotations


class ConfigurationError(RuntimeError):
    """A setting that cannot work on this machine; it would fail for every document."""


class BackendUnavailable(ConfigurationError):
    """The configured NER backend cannot run here (a model or an optional extra is missing)."""


class EngineUnavailable(ConfigurationError):
    """The configured engine cannot run here (Dask missing, a scheduler out of reach)."""
