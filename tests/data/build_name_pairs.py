"""Build tests/data/name_pairs.tsv: English/Hindi pairs of proper names from CLDR (via Babel).

Rule: every time zone for which CLDR's Hindi locale gives an exemplar city (the city that names
the zone, written by CLDR's Hindi translators in Devanagari) yields one pair: the English exemplar
city (CLDR's English name, else the zone id's last part with "_" as a space) and the Hindi one.
A pair is in the held-out slice when the first hex digit of sha1(zone id) is 0-4 (about a third),
else in the development slice; the held-out slice is never looked at while tuning.
Run: ``.venv/bin/python tests/data/build_name_pairs.py`` (rewrites the file; deterministic for
one Babel version).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import babel
from babel import Locale
from babel.core import get_cldr_version

OUT = Path(__file__).with_name("name_pairs.tsv")
HELD_OUT_DIGITS = "01234"


def rows() -> list[tuple[str, str, str, str]]:
    hi, en = Locale.parse("hi"), Locale.parse("en")
    out = []
    for zone, data in sorted(hi.time_zones.items()):
        hindi = (data.get("city") or "").strip()
        if not hindi:
            continue
        english = (en.time_zones.get(zone, {}).get("city")
                   or zone.rsplit("/", 1)[-1].replace("_", " ")).strip()
        digest = hashlib.sha1(zone.encode("utf-8")).hexdigest()
        split = "heldout" if digest[0] in HELD_OUT_DIGITS else "dev"
        out.append((split, zone, english, hindi))
    return out


def main() -> None:
    header = [
        "# English/Hindi pairs of proper names written in both scripts, from the Unicode CLDR",
        f"# (version {get_cldr_version()}, read through Babel {babel.__version__}): the exemplar "
        "cities of time zones,",
        "# English from CLDR's English locale (or the zone id), Hindi from CLDR's Hindi locale.",
        "# Licence: Unicode License v3 (https://www.unicode.org/license.txt). Built by",
        "# tests/data/build_name_pairs.py, whose docstring states the rule and the held-out split",
        "# (split=heldout: never tuned on). These are place names, not people: the nearest public",
        "# list of foreign names in both scripts that this project can reach offline; they test",
        "# how names are compared by sound (pipeline/normalize/name_sound.py).",
        "split\tzone\tenglish\thindi",
    ]
    body = ["\t".join(r) for r in rows()]
    OUT.write_text("\n".join(header + body) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
