"""Linking: the mentions of all documents of a run → entities.

``persons`` clusters names within and across scripts and builds the entities of every label;
``orgs`` joins the forms of one organisation (acronyms, long forms, both scripts) across the
documents, for organisations a gazetteer does not know.
"""

from pipeline.link.orgs import OrgIndex, link_orgs
from pipeline.link.persons import build_entities, link

__all__ = ["OrgIndex", "build_entities", "link", "link_orgs"]
