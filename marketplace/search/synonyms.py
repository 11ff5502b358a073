"""The synonym list the product ships (synonyms.txt), read once for both backends.

The database backend expands a query with `synonym_map()`; the Elasticsearch backend hands
`rules()` to a synonym_graph filter, which reads the same Solr format.
"""

from functools import cache
from pathlib import Path

from marketplace.search.text import chunks, normalize

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")


class SynonymListError(ValueError):
    pass


def rules(path: Path = SYNONYMS_FILE) -> list[str]:
    """The rule lines, without comments and blank lines, as Elasticsearch takes them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def parse(lines: list[str]) -> dict[str, tuple[str, ...]]:
    """{term: the spellings a query for it searches}, terms and spellings normalized.

    `a, b, c` maps each of them to all three; `a, b => x, y` maps a and b to x and y. A term in
    several rules searches the spellings of all of them."""
    found: dict[str, list[str]] = {}
    for line in lines:
        left, arrow, right = line.partition("=>")
        sources = _entries(left, line)
        targets = _entries(right, line) if arrow else sources
        if not sources or not targets:
            raise SynonymListError(f"Synonym rule without terms: {line!r}")
        for source in sources:
            spellings = found.setdefault(source, [])
            spellings.extend(t for t in targets if t not in spellings)
    return {term: tuple(spellings) for term, spellings in found.items()}


def _entries(text: str, line: str) -> list[str]:
    entries = []
    for raw in text.split(","):
        entry = normalize(raw.strip())
        if not entry:
            continue
        # The database backend matches an entry inside a run of CJK characters or as a whole
        # word; anything else (spaces, punctuation, mixed scripts) it could not find.
        if [run for run, _ in chunks(entry)] != [entry]:
            raise SynonymListError(
                f"Synonym entry {raw.strip()!r} in {line!r} must be a run of Chinese "
                "characters or a single Latin word"
            )
        entries.append(entry)
    return entries


@cache
def synonym_map() -> dict[str, tuple[str, ...]]:
    return parse(rules())
