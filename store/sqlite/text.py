"""Full-text rules of the SQLite index: whole latin words and Chinese substrings, one FTS5 index.

Text is normalised here, in Python, before FTS5 sees it: NFKC (full-width ``ＮＩＫＥ`` is
``NIKE``), then a word is a run of letters and digits, lower-cased (so "Nike-Air" holds the words
"nike" and "air"); every CJK character (Han, kana, Hangul) is a word of its own, and a marker
word no query can contain ends each run of CJK characters. The stored form is those words joined
by spaces, indexed by FTS5's ``unicode61`` tokenizer, which also drops diacritics (``élan`` finds
``ELAN``, like the cluster's asciifolding).

A query is split the same way and every part must match (AND), each part anywhere in the
searched fields (for listings: a word in the title, another in the description is a match):
- a latin word matches a whole word, case-insensitively: "nova" does not match "novaflex";
- a run of CJK characters matches as an FTS5 phrase of its characters, which is exactly "appears
  as a substring of one run of CJK characters": 雷霆 matches 耐克雷霆跑鞋; 雷电 does not, nor
  does "雷 霆" (the marker stands between the two runs, as a Lucene bigram needs adjacency).
Text with no letters or digits at all matches nothing. Query words never reach FTS5 syntax
unquoted, so hostile text like ``NEAR(`` or ``"`` is just words.

Why not the ``trigram`` tokenizer: it cannot match a two-character Chinese word, and it matches
inside latin words ("nova" in "novaflex"). Why not ``unicode61`` alone: it keeps a whole run of
Chinese characters (and latin letters glued to it) as one token, so 雷霆 would not match.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
_PART = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]")
# A private-use character: a token to FTS5, never part of a query word (Python's \w skips it).
_RUN_END = "\ue000"
MAX_QUERY_PARTS = 256


def _visible(text: str) -> str:
    """Without format characters: a zero-width space inside a word must not split it."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _parts(text: str) -> list[str]:
    text = _visible(unicodedata.normalize("NFKC", text))
    return [m.group().lower() for m in _PART.finditer(text)]


def _is_cjk(part: str) -> bool:
    return _CJK_RUN.match(part) is not None


def terms(text: str | None) -> str:
    """The searchable form stored beside a title or description: words, CJK one per token."""
    words: list[str] = []
    for part in _parts(text or ""):
        words.extend((*part, _RUN_END) if _is_cjk(part) else (part,))
    return " ".join(words)


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression requiring every part of ``text``; None when nothing can match."""
    phrases: list[str] = []
    for part in dict.fromkeys(_parts(text)):
        words = " ".join(part) if _is_cjk(part) else part
        phrases.append(f'"{words}"')
    if len(phrases) > MAX_QUERY_PARTS:
        raise ValueError(
            f"search text has {len(phrases)} distinct words; use at most {MAX_QUERY_PARTS}"
        )
    return " AND ".join(phrases) if phrases else None
