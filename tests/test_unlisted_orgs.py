"""Coalitions in no data file (issue 14): organisations found in the text, linked across
documents and scripts, the subject decided from the text with a confidence, and the user's names.

The articles in tests/data/invented/ are written for these tests about coalitions that do not
exist (the Coastal Mangrove Alliance, the Himalayan Glacier Council), so no gazetteer can know
them. Every run is made with the real orgs.yaml and with an empty one.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.config import DEFAULT
from pipeline.core.records import ORG, Mention
from pipeline.link.orgs import initials, is_junk, link_orgs
from pipeline.normalize import orgs

INVENTED = Path(__file__).resolve().parent / "data" / "invented"
MANGROVE = INVENTED / "mangrove"
GLACIER = INVENTED / "glacier"


@pytest.fixture(scope="module", params=["real", "empty"])
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    if request.param == "real":
        yield DEFAULT
    else:
        empty = tmp_path_factory.mktemp("orgs") / "orgs.yaml"
        empty.write_text("{}\n", encoding="utf-8")
        yield replace(DEFAULT, orgs_file=empty)


def _run(paths: list[Path], out: Path, settings, capsys=None, **kw):
    from pipeline.runtime.run import run

    return run(paths, out, replace(settings, **kw), quiet=True)


def _facts(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "facts.csv", dtype=str, keep_default_na=False)


# ------------------------------------------------------------------ rules without models
def test_devanagari_acronym_and_generic_bodies() -> None:
    assert orgs.acronym_of("सीएमए") == "CMA"
    assert orgs.acronym_of("CMA") == "CMA"
    assert orgs.acronym_of("G-20") == "G20"
    assert orgs.acronym_of("Alliance") is None
    assert orgs.is_generic("UNFCCC") and orgs.is_generic("संयुक्त राष्ट्र")
    assert orgs.is_generic("United Nations Framework Convention on Climate Change")
    assert not orgs.is_generic("Coastal Mangrove Alliance")
    assert initials(["Coastal", "Mangrove", "Alliance"]) == "CMA"


def test_junk_organisations_are_dropped() -> None:
    def org(text: str, source: str = "model") -> Mention:
        return Mention("d", "en", 0, len(text), text, ORG, "", "", source)

    assert is_junk(org("101st"))
    assert is_junk(org("Tropics of Cancer and"))
    assert is_junk(org("Operation Decisive Storm[14"))
    assert not is_junk(org("Coastal Mangrove Alliance"))
    assert not is_junk(org("101st", "gazetteer"))  # a listed form is never junk


def test_linking_without_any_listed_form(tmp_path: Path) -> None:
    """Acronym definitions in both scripts, initials, and the Hindi-English word lexicon make
    one organisation of every form; a one-qualifier Hindi phrase nothing ties to a name goes."""
    empty = tmp_path / "orgs.yaml"
    empty.write_text("{}\n", encoding="utf-8")
    en = "The Solar Pump Coalition (SPC) met. Later the SPC grew."
    hi = "सौर पंप गठबंधन ने बैठक की। एक सैन्य गठबंधन भी बना। एसपीसी बढ़ा।"

    def m(doc: str, text: str, sub: str, source: str = "rule:org",
          score: float = 1.0) -> Mention:
        s = text.index(sub)
        return Mention(doc, doc, s, s + len(sub), sub, ORG, sub, sub, source, score)

    ments = [m("en", en, "Solar Pump Coalition"), m("hi", hi, "सौर पंप गठबंधन"),
             m("hi", hi, "सैन्य गठबंधन", score=0.5)]
    out, entities, index = link_orgs({"en": en, "hi": hi}, ments, orgs_file=empty)
    found = {(x.doc_id, x.text): x.kb_id for x in out if x.label == ORG}
    # the acronym, found again in both scripts, names the group
    assert found == {("en", "Solar Pump Coalition"): "SPC", ("en", "SPC"): "SPC",
                     ("hi", "सौर पंप गठबंधन"): "SPC", ("hi", "एसपीसी"): "SPC"}
    assert index.find("सौर पंप गठबंधन") == index.find("Solar Pump Coalition") == "SPC"
    assert [e.canonical for e in entities if e.label == ORG] == ["Solar Pump Coalition"]

def test_hindi_names_by_romanisation(tmp_path: Path) -> None:
    """A Hindi name written in English words (इंटरनेशनल सोलर अलायंस) and an acronym said as
    a word (कोरल = CORAL) join their English forms; a name that only sounds a little alike
    does not."""
    empty = tmp_path / "orgs.yaml"
    empty.write_text("{}\n", encoding="utf-8")
    en = "The Solar Reef Alliance and CORAL met. CORAL grew."
    hi = "सोलर रीफ अलायंस और कोरल तथा कोरिया मिले।"

    def m(doc: str, text: str, sub: str) -> Mention:
        s = text.index(sub)
        return Mention(doc, doc, s, s + len(sub), sub, ORG, sub, sub, "model")

    ments = [m("en", en, "Solar Reef Alliance"), m("en", en, "CORAL"),
             m("hi", hi, "सोलर रीफ अलायंस"), m("hi", hi, "कोरल"), m("hi", hi, "कोरिया")]
    out, _, index = link_orgs({"en": en, "hi": hi}, ments, orgs_file=empty)
    ids = {x.text: x.kb_id for x in out if x.label == ORG}
    assert ids["सोलर रीफ अलायंस"] == ids["Solar Reef Alliance"] == "Solar Reef Alliance"
    assert ids["कोरल"] == ids["CORAL"] == "CORAL"
    assert ids["कोरिया"] != "CORAL"
    assert index.find("कोरल") == "CORAL"

# ---------------------------------------------------------------------- whole pipeline
@pytest.mark.slow
def test_invented_coalition_in_both_languages(settings, tmp_path: Path) -> None:
    res = _run([MANGROVE], tmp_path, settings)
    assert res.subject == "CMA" and not res.subject_info.generic
    assert res.subject_info.confidence >= settings.subject_min_confidence
    docs = pd.read_csv(tmp_path / "documents.csv", dtype=str)
    assert set(docs.subject) == {"CMA"}
    # one entity for the acronym, the long forms and the Hindi forms, in every document
    table = pd.read_csv(tmp_path / "entity_table.csv", dtype=str, keep_default_na=False)
    cma = table[(table.label == ORG) & (table.kb_id == "CMA")]
    assert len(cma) == 1 and cma.iloc[0].status == "all"
    forms = set(cma.iloc[0].surface_forms.split(" | "))
    assert {"CMA", "Coastal Mangrove Alliance", "सीएमए", "तटीय मैंग्रोव गठबंधन"} <= forms
    # the Hindi join facts, with the organisation unlisted
    facts = _facts(tmp_path)
    joins = facts[(facts.doc_id == "hi") & (facts.role == "joined")]
    assert set(zip(joins.object_kb_id, joins.subject, strict=True)) == {("KEN", "CMA"),
                                                                       ("LKA", "CMA")}
    hi = facts[facts.doc_id == "hi"]
    assert {"founded", "member_count"} <= set(hi.predicate) and set(hi.subject) == {"CMA"}


@pytest.mark.slow
def test_hindi_article_alone_is_not_about_the_un(settings, tmp_path: Path) -> None:
    """The failure of the issue: a Hindi article naming the UN once and an unlisted alliance
    by its Devanagari acronym and Hindi name."""
    res = _run([GLACIER / "hi.txt"], tmp_path, settings)
    assert res.subject == "HGC"
    facts = _facts(tmp_path)
    joins = facts[facts.role == "joined"]
    assert set(joins.object_kb_id) == {"PAK", "CHN"} and set(joins.subject) == {"HGC"}


@pytest.mark.slow
def test_mixed_subjects_warn(settings, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(MANGROVE / "en.txt", inputs / "mangrove.txt")
    shutil.copy(GLACIER / "en.txt", inputs / "glacier.txt")
    res = _run([inputs], tmp_path / "out", settings)
    err = capsys.readouterr().err
    assert res.subject_info.disagreeing
    assert "point to different organisations" in err
    assert {c.kb_id for c in res.subject_info.documents.values()} == {"CMA", "HGC"}


@pytest.mark.slow
def test_low_confidence_warns(settings, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    text = tmp_path / "in" / "note.txt"
    text.parent.mkdir()
    text.write_text("Delegates from the Coastal Mangrove Alliance and the Himalayan Glacier "
                    "Council met in Geneva on 3 May 2023 to talk about forests and rivers.\n",
                    encoding="utf-8")
    res = _run([text.parent], tmp_path / "out", settings)
    assert res.subject_info.confidence < settings.subject_min_confidence
    assert "low confidence" in capsys.readouterr().err


@pytest.mark.slow
def test_subject_and_aliases_given(settings, tmp_path: Path,
                                   capsys: pytest.CaptureFixture) -> None:
    # a wrong --subject warns
    res = _run([GLACIER / "hi.txt"], tmp_path / "a", settings, subject="FOO")
    assert "'FOO' occurs in none of the inputs" in capsys.readouterr().err
    assert res.subject == "FOO"
    # a name in the other script is found: the Hindi article names HGC as एचजीसी
    res = _run([GLACIER / "hi.txt"], tmp_path / "b", settings, subject="HGC")
    assert res.subject == "HGC" and "occurs in none" not in capsys.readouterr().err
    # aliases.yaml beside the inputs: a Hindi-only name no rule would link to the English one
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(GLACIER / "hi.txt", inputs / "hi.txt")
    (inputs / "aliases.yaml").write_text(
        "subject: Himalayan Glacier Council\naliases: [हिमालयी हिमनद परिषद, एचजीसी]\n",
        encoding="utf-8")
    res = _run([inputs], tmp_path / "c", settings)
    assert res.subject == "HGC" and res.subject_info.given
    assert "occurs in none" not in capsys.readouterr().err
    # a malformed aliases file is named, not a traceback
    (inputs / "aliases.yaml").write_text("aliases: {a: 1}\n", encoding="utf-8")
    _run([inputs], tmp_path / "d", settings)
    err = capsys.readouterr().err
    assert "aliases.yaml" in err and "'aliases' must be a list" in err


def test_organisation_lists_are_read_per_file(tmp_path: Path) -> None:
    """Each organisations file is its own list: reading one changes nothing another reader sees
    (no process-wide switch), and a missing file is an error naming it."""
    listed = tmp_path / "listed.yaml"
    listed.write_text("SPC:\n  name: Solar Pump Coalition\n  en: [Solar Pump Coalition]\n",
                      encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("{}\n", encoding="utf-8")
    assert orgs.org_id("Solar Pump Coalition", "en", listed) == "SPC"
    assert orgs.org_id("Solar Pump Coalition", "en", empty) is None
    assert orgs.org_id("Solar Pump Coalition", "en", listed) == "SPC"
    assert orgs.org_name("SPC", listed) == "Solar Pump Coalition"
    assert orgs.org_id("Solar Pump Coalition", "en") is None  # the package's list lacks it
    assert orgs.org_id("Organisation of Islamic Cooperation", "en") == "OIC"
    assert "Solar Pump Coalition" in orgs.gazetteer("en", orgs_file=listed)
    assert "Solar Pump Coalition" not in orgs.gazetteer("en")
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ValueError, match=r"nope\.yaml"):
        orgs.check_orgs_file(missing)


DANUBE = INVENTED / "danube"


@pytest.mark.slow
def test_a_group_named_only_by_its_head_noun_is_the_subject(settings, tmp_path: Path) -> None:
    """A body no data file knows, named "... Group" / "... समूह", on a page whose first line
    after the title is the site's, in an article that also names the EU with a membership verb:
    the group is each document's subject, and its members come from the list its count
    introduces."""
    _run([DANUBE], tmp_path, settings)
    docs = pd.read_csv(tmp_path / "documents.csv", dtype=str, keep_default_na=False)
    assert len(set(docs.subject)) == 1 and "EU" not in set(docs.subject)
    facts = _facts(tmp_path)
    for doc in ("en", "hi"):
        mine = facts[facts.doc_id == doc]
        members = set(mine[mine.predicate == "member"].object_kb_id)
        assert members == {"AUT", "SVK", "HUN"}, doc
        assert set(mine[mine.predicate == "non_member"].object_kb_id) == {"SRB"}, doc
        assert "2009-06-04" in set(mine[mine.predicate == "founded"].when), doc
