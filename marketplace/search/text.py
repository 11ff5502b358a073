"""Chinese-aware tokens for the database backend, shaped like Elasticsearch's `cjk` analysis.

A run of CJK characters is indexed as its overlapping bigrams plus its single characters
(环境影响 → 环 环境 境 境影 影 影响 响); Latin letters and digits as lowercased words. Text is
NFKC-normalized first, so full-width ＣＭＡ and half-width CMA are the same word (cjk_width).

A query becomes terms that must all match. Each term is a run of CJK characters or a word,
cut further where the synonym list recognises a known term (环评报告 → 环评 + 报告), and matches
when any of its alternatives (the term or one of its synonyms) matches; an alternative matches
when all its bigrams do (a one-character alternative matches its single character).
"""

import re
import unicodedata
from dataclasses import dataclass

# Han, kana and Hangul: the scripts Elasticsearch's cjk_bigram filter joins into bigrams.
CJK_CHARS = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u3005-\u3007"  # 々 〆 〇
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
TOKEN_RE = re.compile(f"(?P<cjk>[{CJK_CHARS}]+)|(?P<word>[^\\W_{CJK_CHARS}]+)")
CJK_RUN_RE = re.compile(f"[{CJK_CHARS}]+")

# Longer words are noise (hashes, pasted URLs) and PostgreSQL refuses lexemes over 2047 bytes.
MAX_WORD_LENGTH = 64
# The text of one field that gets indexed; a search index is not an archive.
MAX_FIELD_CHARS = 100_000
MAX_QUERY_CHARS = 256
# Alternatives per term: a safety net against a synonym list that would explode a query.
MAX_ALTERNATIVES = 16


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def chunks(text: str) -> list[tuple[str, bool]]:
    """The runs of `text` that tokens are made of, as (run, is_cjk), normalized."""
    found = []
    for match in TOKEN_RE.finditer(normalize(text)):
        if match.group("cjk"):
            found.append((match.group("cjk"), True))
        elif len(match.group("word")) <= MAX_WORD_LENGTH:
            found.append((match.group("word"), False))
    return found


def document_tokens(text: str) -> str:
    """The indexed form of `text`: space-separated unigrams, bigrams and words."""
    tokens: list[str] = []
    for run, is_cjk in chunks((text or "")[:MAX_FIELD_CHARS]):
        if not is_cjk:
            tokens.append(run)
            continue
        for i, char in enumerate(run):
            tokens.append(char)
            if i + 1 < len(run):
                tokens.append(run[i : i + 2])
    return " ".join(tokens)


def search_tokens(text: str) -> tuple[str, ...]:
    """The tokens that must all be present for `text` to match: bigrams, or the character."""
    tokens: list[str] = []
    for run, is_cjk in chunks(text):
        if is_cjk and len(run) > 1:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tuple(dict.fromkeys(tokens))


Alternative = tuple[str, ...]  # tokens that must all match
Term = tuple[Alternative, ...]  # any alternative matches


@dataclass(frozen=True)
class ParsedQuery:
    """All terms must match."""

    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(text: str, synonyms: dict[str, tuple[str, ...]] | None = None) -> ParsedQuery:
    """`text` as terms, each with its synonyms' alternatives (see the module docstring)."""
    if synonyms is None:
        from marketplace.search.synonyms import synonym_map

        synonyms = synonym_map()
    terms: list[Term] = []
    for run, is_cjk in chunks((text or "")[:MAX_QUERY_CHARS]):
        segments = _segments(run, synonyms) if is_cjk else [(run, synonyms.get(run, (run,)))]
        for _segment, spellings in segments:
            term = _alternatives(spellings)
            if term and term not in terms:
                terms.append(term)
    return ParsedQuery(tuple(terms))


def _segments(run: str, synonyms: dict[str, tuple[str, ...]]) -> list[tuple[str, tuple[str, ...]]]:
    """Cut a CJK run where known terms are, longest match first, left to right (the way a
    synonym graph filter reads its input); the stretches between known terms stay whole."""
    longest = max((len(key) for key in synonyms), default=0)
    segments: list[tuple[str, tuple[str, ...]]] = []
    plain_start = i = 0
    while i < len(run):
        for length in range(min(longest, len(run) - i), 0, -1):
            key = run[i : i + length]
            if key in synonyms:
                if plain_start < i:
                    segments.append((run[plain_start:i], (run[plain_start:i],)))
                segments.append((key, synonyms[key]))
                i += length
                plain_start = i
                break
        else:
            i += 1
    if plain_start < len(run):
        segments.append((run[plain_start:], (run[plain_start:],)))
    return segments


def _alternatives(spellings: tuple[str, ...]) -> Term:
    found: list[Alternative] = []
    for spelling in spellings[:MAX_ALTERNATIVES]:
        tokens = search_tokens(spelling)
        if tokens and tokens not in found:
            found.append(tokens)
    # An alternative whose tokens include all of another's can only match where that one does.
    kept = [a for a in found if not any(b != a and set(b) <= set(a) for b in found)]
    return tuple(kept)


def fts5_match(query: ParsedQuery) -> str:
    """`query` in SQLite FTS5 query syntax (tokens as quoted strings, so never operators)."""
    return " AND ".join(
        "(" + " OR ".join("(" + " AND ".join(_fts5_string(t) for t in alt) + ")" for alt in term)
        + ")"
        for term in query.terms
    )


def tsquery(query: ParsedQuery) -> str:
    """`query` as PostgreSQL tsquery text (for to_tsquery('simple', ...))."""
    return " & ".join(
        "(" + " | ".join("(" + " & ".join(_tsquery_lexeme(t) for t in alt) + ")" for alt in term)
        + ")"
        for term in query.terms
    )


def _fts5_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _tsquery_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
