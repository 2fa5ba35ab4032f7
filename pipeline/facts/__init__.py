"""Fact extraction: sentences + mentions → Facts, driven by per-language cue pattern files."""

from pipeline.facts.extract import extract_facts, run_subject

__all__ = ["extract_facts", "run_subject"]
