"""Bilingual (English + Hindi) extraction of coalition facts, with cross-document reconciliation."""

__version__ = "0.1.0"
