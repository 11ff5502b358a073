"""The Simplified Chinese catalog is complete, and the compiled one matches its source."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

CATALOG = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"


def _entries(po_path: Path) -> list[dict]:
    """Parse a .po file: each entry's flags, msgid, msgid_plural and msgstr values."""
    entries, entry, key = [], None, None
    for raw in po_path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": "", "strings": {}}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry["strings"][key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry["strings"][key] = ast.literal_eval(value)
    return [e for e in entries if e["strings"].get("msgid")]


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    entries = _entries(CATALOG / "django.po")
    assert len(entries) > 400
    untranslated = [
        e["strings"]["msgid"] for e in entries
        if not any(v for k, v in e["strings"].items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["strings"]["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalog_matches_the_source():
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _entries(CATALOG / "django.po"):
        strings = entry["strings"]
        if "msgid_plural" in strings:
            assert compiled.ngettext(strings["msgid"], strings["msgid_plural"], 1) == \
                strings["msgstr[0]"]
        else:
            assert compiled.gettext(strings["msgid"]) == strings["msgstr"], strings["msgid"]
