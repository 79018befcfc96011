"""Fill English translations from a JSON object {msgid: msgstr} and recompile.

usage: .venv/bin/python scripts/translate.py translations.json
(`make messages` first, so the catalogue has the new strings.)
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "simpul" / "locale" / "en" / "LC_MESSAGES" / "django.po"

po = polib.pofile(str(CATALOGUE))
given = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
for entry in po:
    if entry.msgid in given:
        value = given[entry.msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]} if isinstance(value, list) else {0: value, 1: value}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
po.save(str(CATALOGUE))
subprocess.run(["msgfmt", "--check", "-o", str(CATALOGUE.with_suffix(".mo")), str(CATALOGUE)], check=True)  # noqa: S603, S607
left = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
print(f"{len(left)} still untranslated" + (": " + "; ".join(left[:30]) if left else ""))
