"""Organisation names no gazetteer lists: noun phrases headed by an organisation word.

"International Solar Alliance", "Organisation of Islamic Cooperation", "Saudi-led coalition",
"अंतरराष्ट्रीय सौर गठबंधन": a head noun of ``data/org_words.yaml`` with the qualifiers that make it
a name. English names are capitalised, so the qualifiers are the capitalised words before the
head (and an "of/for ..." complement after it); Hindi has no capitals, so the qualifiers are the
content words just before the head, up to a function word, a number or another entity.

A Hindi phrase of one qualifier ("सैन्य गठबंधन") may be a description rather than a name: it is
found with a lower score, and organisation linking keeps it only when the run ties it to another
form of a name (``link/orgs.py``).
"""

from __future__ import annotations

from typing import Any

from pipeline.ner.hindi_words import NAME_TOKEN, function_words
from pipeline.normalize import devanagari, orgs
from pipeline.normalize.script import written_in_devanagari

MAX_QUALIFIERS = 6
WEAK_SCORE = 0.5


def _capitalised(text: str) -> bool:
    return text[:1].isupper() or (text[:1].isdigit() and any(c.isalpha() for c in text))


def _cased(sdoc: Any, lang: str) -> list[tuple[int, int, float]]:
    """Names in a script with capitals (English): capitalised qualifiers before the head."""
    toks = [t.text for t in sdoc]
    low = [t.lower() for t in toks]
    heads = orgs.head_words(lang)
    weak = orgs.weak_qualifiers(lang)
    # function words inside a name, and those of its complement (data/org_words.yaml)
    links = orgs.link_words(lang)
    openers, complement_articles, complement_links = orgs.complement_words(lang)
    articles = orgs.name_articles(lang)
    out = []
    i = 0
    while i < len(toks):
        head = next((h for h in heads if tuple(low[i:i + len(h)]) == h), None)
        if head is None:
            i += 1
            continue
        j = i + len(head)  # end of the head
        capital_head = _capitalised(toks[i])
        # qualifiers: capitalised words before the head, linked by "of", "and", ... inside
        k = i
        while k > 0 and i - k < MAX_QUALIFIERS:
            prev = toks[k - 1]
            word = _capitalised(prev) and (prev.isalnum() or "-" in prev)
            link = (low[k - 1] in links and k - 2 >= 0 and _capitalised(toks[k - 2])
                    and k < i and capital_head)
            if (word and low[k - 1] not in articles) or link:
                k -= 1
            elif (k - 3 >= 0 and toks[k - 2] == "-" and _capitalised(toks[k - 3])
                  and not sdoc[k - 3].whitespace_ and not sdoc[k - 2].whitespace_):
                k -= 3  # "Saudi-led", tokenised "Saudi", "-", "led"
            else:
                break
        while k < i and low[k] in links:
            k += 1
        # complement: "Organisation of Islamic Cooperation", "Alliance for Clean Seas"
        e = j
        if capital_head and e + 1 < len(toks) and low[e] in openers:
            m = e + 1
            if low[m] in complement_articles and m + 1 < len(toks):
                m += 1
            n = m
            while n < len(toks) and n - m < MAX_QUALIFIERS and (
                    _capitalised(toks[n]) or (low[n] in complement_links and n + 1 < len(toks)
                                              and _capitalised(toks[n + 1]))):
                n += 1
            if n > m and _capitalised(toks[n - 1]):
                e = n
        quals = [w for w in low[k:i] if w not in links]
        words = e - k
        if capital_head:
            ok = words >= 2 and not (e == j and quals and all(q in weak for q in quals))
        else:
            # a lower-case head names a body only after a capitalised qualifier that is not the
            # sentence's first word: "the Saudi-led coalition", "the Arab coalition"
            ok = bool(quals) and k > 0 and _capitalised(toks[k])
        if ok:
            out.append((sdoc[k].idx, sdoc[e - 1].idx + len(sdoc[e - 1].text), 1.0))
            i = e
        else:
            i = j
    return out


def _devanagari(sdoc: Any, lang: str, stop: frozenset[str], blocked: set[int]
                ) -> list[tuple[int, int, float]]:
    """Names in Devanagari (no capitals): the content words just before the head."""
    norms = [devanagari.fold(t.text) for t in sdoc]
    heads = orgs.head_words(lang)
    weak = orgs.weak_qualifiers(lang)
    out = []
    for i in range(len(sdoc)):
        head = next((h for h in heads if tuple(norms[i:i + len(h)]) == h), None)
        if head is None:
            continue
        j = i + len(head)
        k = i
        while k > 0 and i - k < MAX_QUALIFIERS:
            tok = sdoc[k - 1]
            if (not NAME_TOKEN.fullmatch(tok.text) or tok.text in stop or norms[k - 1] in stop
                    or (k - 1) in blocked or not devanagari.is_devanagari(tok.text)):
                break
            k -= 1
        quals = norms[k:i]
        if not quals:
            continue
        strong = len(quals) >= 2 and not all(q in weak for q in quals)
        out.append((sdoc[k].idx, sdoc[j - 1].idx + len(sdoc[j - 1].text),
                    1.0 if strong else WEAK_SCORE))
    return out


def find_org_phrases(sdoc: Any, lang: str, blocked: set[int] | None = None
                     ) -> list[tuple[int, int, float]]:
    """(start_char, end_char, score) in the paragraph of every organisation noun phrase;
    ``blocked``: indices of tokens inside another entity (a country, a date), which end a Hindi
    phrase's qualifiers."""
    if not orgs.head_words(lang):
        return []  # a language without organisation words (data/org_words.yaml)
    if written_in_devanagari(lang):
        return _devanagari(sdoc, lang, function_words(), blocked or set())
    return _cased(sdoc, lang)
