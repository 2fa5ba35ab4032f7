"""Copies are not corroboration (issue 16 item 2): copies of an article in another encoding or
under another header and footer are listed and add no agreement; different articles on the same
coalition, and translations, are not copies. The articles are written for these tests."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SEEDS

from pipeline.core.config import Settings
from pipeline.duplicates import find_duplicates, jaccard, shingles
from pipeline.ingest import ingest

ARTICLE = """Shanghai bloc admits two South Asian states

The Shanghai Cooperation Organisation (SCO) was founded in Shanghai on 15 June 2001 by China,
Russia, Kazakhstan, Kyrgyzstan, Tajikistan and Uzbekistan. The six governments described it as a
forum for security cooperation across Central Asia, and its secretariat was later set up in
Beijing.

India and Pakistan joined the SCO in 2017 after a two-year accession process that began at the
summit in Ufa. Officials in New Delhi said the membership would give India a seat at talks on
regional counter-terrorism, while diplomats in Islamabad stressed trade and energy links.

Iran joined the organisation in 2023, and Belarus followed in 2024. Observers note that the
bloc now spans a large share of the population of Eurasia, although its members disagree on
many questions of border security and on the role of the regional anti-terrorist structure
based in Tashkent. Mongolia has taken part as an observer since 2004.
"""

OTHER_HEADER = ("Asia Security Monitor | Morning Briefing\n"
                "Posted by the desk editor, 4 March 2024 | Share | Print\n\n")
OTHER_FOOTER = ("\n\nThis report first appeared in a partner publication and is republished with "
                "permission. Sign up for our newsletter for more stories on defence policy.\n")

# Another article on the same coalition, written apart: some of the same facts, other words.
SECOND = """Eurasian grouping grows again

When leaders met in Astana in 2024, Belarus became the tenth member of the Shanghai
Cooperation Organisation. Minsk had applied three years earlier. India and Pakistan had been
admitted in 2017, and Iran in 2023, so the organisation that began with six founding states in
2001 has kept adding members from outside Central Asia.

Analysts in Moscow and Beijing disagree about what the expansion means. Some describe the SCO as
a counterweight to Western alliances; others argue that a grouping with India and China at the
same table can rarely agree on anything beyond statements about terrorism and trade.
"""

HINDI = """शंघाई सहयोग संगठन में दो दक्षिण एशियाई देश शामिल

शंघाई सहयोग संगठन (एससीओ) की स्थापना 15 जून 2001 को शंघाई में चीन, रूस, कज़ाख़िस्तान,
किर्गिज़स्तान, ताजिकिस्तान और उज़्बेकिस्तान ने की थी। भारत और पाकिस्तान 2017 में एससीओ में
शामिल हुए। ईरान 2023 में और बेलारूस 2024 में इस संगठन का सदस्य बना। संगठन का सचिवालय
बीजिंग में है।
"""


def write_copies(folder: Path) -> None:
    """The article, a UTF-16 copy with Windows line endings and trailing spaces, a copy under
    another header and footer, a second article on the same coalition, a Hindi version."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_original.txt").write_text(ARTICLE, "utf-8")
    windows = "\r\n".join(line + "  " for line in ARTICLE.split("\n"))
    (folder / "b_utf16_copy.txt").write_bytes(windows.encode("utf-16"))
    body = ARTICLE.split("\n", 1)[1]  # the site's own title replaced by its banner
    (folder / "c_reheaded_copy.txt").write_text(OTHER_HEADER + body + OTHER_FOOTER, "utf-8")
    (folder / "d_second_article.txt").write_text(SECOND, "utf-8")
    (folder / "e_hindi.txt").write_text(HINDI, "utf-8")


def test_copies_are_found_and_named_after_the_first_path(tmp_path: Path) -> None:
    write_copies(tmp_path)
    docs, _ = ingest([tmp_path])
    originals, copies = find_duplicates(docs)
    assert [d.doc_id for d in originals] == ["a_original", "d_second_article", "e_hindi"]
    found = {c.doc.doc_id: c for c in copies}
    assert set(found) == {"b_utf16_copy", "c_reheaded_copy"}
    assert found["b_utf16_copy"].exact and found["b_utf16_copy"].similarity == 1.0
    assert found["b_utf16_copy"].doc.encoding.startswith("utf-16")
    near = found["c_reheaded_copy"]
    assert not near.exact and 0.5 <= near.similarity < 1.0
    assert {c.original for c in copies} == {"a_original"}
    assert {c.original_path for c in copies} == {str(tmp_path / "a_original.txt")}


def test_the_original_is_the_first_path_whatever_the_order_given(tmp_path: Path) -> None:
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "first.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "a.txt").write_text(OTHER_HEADER + ARTICLE, "utf-8")
    docs, _ = ingest([tmp_path / "z", tmp_path / "a.txt"])
    originals, copies = find_duplicates(docs)
    assert [d.doc_id for d in originals] == ["a"]
    assert [(c.doc.doc_id, c.original) for c in copies] == [("first", "a")]


def test_different_articles_and_translations_are_not_copies(tmp_path: Path) -> None:
    write_copies(tmp_path)
    docs = {d.doc_id: d for d in ingest([tmp_path])[0]}
    a, d, e = (shingles(docs[k].text, 5) for k in ("a_original", "d_second_article", "e_hindi"))
    assert jaccard(a, d) < 0.1 and jaccard(a, e) == 0.0
    # even with a candidate threshold that lets every pair through, they stay apart
    loose = Settings(duplicate_lsh_threshold=0.01)
    _, copies = find_duplicates([docs["a_original"], docs["d_second_article"],
                                 docs["e_hindi"]], loose)
    assert copies == []


def test_short_texts_are_only_exact_copies(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("NATO was founded in 1949 in Washington.", "utf-8")
    (tmp_path / "b.txt").write_text("NATO was founded in 1949 in Brussels.", "utf-8")
    (tmp_path / "c.txt").write_text("NATO  was founded in 1949 in Washington.\r\n", "utf-8")
    _, copies = find_duplicates(ingest([tmp_path])[0])
    assert [(c.doc.doc_id, c.original, c.exact) for c in copies] == [("c", "a", True)]


@pytest.mark.slow
def test_copies_are_listed_and_add_no_agreement(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.output.tables import read_table
    from pipeline.runtime.run import run

    folder = tmp_path / "in"
    write_copies(folder)
    out = tmp_path / "out"
    res = run([folder], out, quiet=True)
    assert res.exit_code == 0  # a copy is a note, not a skipped input
    err = capsys.readouterr().err
    for name in ("b_utf16_copy.txt", "c_reheaded_copy.txt"):
        assert f"{folder / name}: note: duplicate of {folder / 'a_original.txt'} (" in err
        assert "; not counted" in err

    documents = read_table(out / "documents.csv")
    dup_of = dict(zip(documents.doc_id, documents.duplicate_of, strict=True))
    assert dup_of == {"a_original": "", "b_utf16_copy": "a_original",
                      "c_reheaded_copy": "a_original", "d_second_article": "", "e_hindi": ""}
    counted = ["a_original", "d_second_article", "e_hindi"]

    table = read_table(out / "fact_table.csv")
    assert not {"b_utf16_copy", "c_reheaded_copy"} & set(table.columns)
    values = read_table(out / "fact_values.csv")
    assert set(values.doc_id) <= set(counted)
    # A fact only the copied article states (Mongolia the observer) stays single-sourced: its
    # two copies add nothing.
    mongolia = table[table.object_kb_id == "MNG"]
    assert len(mongolia) == 1
    row = mongolia.iloc[0]
    assert [d for d in counted if row[d]] == ["a_original"]
    assert row.status == "single_source"
    # ...while the second article, written apart, does corroborate what it also states.
    assert (table[["a_original", "d_second_article"]] != "").all(axis=1).any()
    agreeing = table[table.status.isin(["agree", "refines"])]
    assert not agreeing.empty
    assert all(sum(bool(r[d]) for d in counted) >= 2 for _, r in agreeing.iterrows())

    info = json.loads((out / "run.json").read_text("utf-8"))
    assert {d["doc_id"]: d["duplicate_of"] for d in info["duplicates"]} == {
        "b_utf16_copy": "a_original", "c_reheaded_copy": "a_original"}
    assert [d["doc_id"] for d in info["inputs"]] == counted
    html = (out / "report.html").read_text("utf-8")
    assert "not counted" in html and "c_reheaded_copy.txt" in html


def test_no_development_document_is_a_copy_of_another(shared: Path) -> None:
    """The development cases and seeds hold translations and several articles per coalition:
    none of them may be flagged (README, "Copies of an article", has the measured margins)."""
    docs = []
    for folder in [*sorted(p for p in (shared / "cases").iterdir() if p.is_dir()), SEEDS]:
        read, _ = ingest([folder])
        # one run over all of them: doc_ids made unique by their folder
        docs += [replace(d, doc_id=f"{folder.name}/{d.doc_id}") for d in read]
    assert len(docs) > 50
    _, copies = find_duplicates(docs)
    assert copies == []
    sets = [shingles(d.text, Settings().duplicate_shingle_words) for d in docs]
    top = max(jaccard(a, b) for a, b in itertools.combinations(sets, 2))
    assert top < Settings().duplicate_min_jaccard / 2
