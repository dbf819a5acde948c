"""Map a listing's category, or the goods its title names, to Nice classes.

The map (``config/nice_categories.yaml``) lists goods words per set of Nice classes. English
words and phrases match whole words of the folded text (a final plural "s"/"es"/"ies" is
dropped when only the singular is listed); Chinese words match as substrings (Chinese is
written without spaces). Overlapping matches keep the longest ("coffee machine", not the
"coffee" inside it); ``not_goods`` phrases ("coffee brown") win the same way but name no goods.
A text maps to the union of the classes of the words left; a text with none maps to nothing.

Titles are read with two precautions: the characters of the matched mark are ignored (in
"Orchid plant" the goods is the plant, not an orchid), and so is what an accessory fits ("case
for X phone": the goods is the case). No match ever crosses a clause break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from detector.exceptions import CategoryMapError
from detector.normalize import fold, is_cjk

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    _Candidate = tuple[int, int, str, frozenset[str] | None]  # start, end, word, classes

BUNDLED = "nice_categories.yaml"
MAX_CATEGORY_CHARS = 500  # category text is attacker-controlled; real ones are short
MAX_TITLE_CHARS = 500  # titles too; marketplaces cap them near 200
MAX_FOLDED_CHARS = 1_000  # folding expands a few characters (ligatures) several times
NICE_CLASSES = range(1, 46)
_WORD = re.compile(r"[^\W_]+")
BARRIER = "|"  # stands in for what an accessory fits; a clause break
MARK = "\x00"  # stands in for the mark: no match crosses it, but it ends no clause
CLAUSE_BREAKS = frozenset(",;:|()[]{}<>/\\!?\n\r\t，；：、（）【】《》「」『』！？。丨•" + BARRIER)
WORD_BREAKS = CLAUSE_BREAKS | {MARK}
_SPACED_DASH = re.compile(r"\s[-–—]+\s")
# "case for X", "cable fits X", "compatible with X": X is not the goods.
_FITS_EN = re.compile(
    r"(?<![a-z0-9])(?:for|fits|to fit|compatible with|works with|replacement for)(?![a-z0-9])"
)
# 适用于X的保护套: the clause ends at 的 (or a break); 兼容 / 适配 / 配套 likewise.
_FITS_ZH = re.compile(r"适用于|适用|兼容|适配|配套|用于|适合")
# X专用收纳包 / X通用充电线: what comes before is what it fits (男女通用 is "unisex").
_FITS_BEFORE_ZH = re.compile(r"专用|(?<!男女)通用")


@dataclass(frozen=True)
class CategoryMatch:
    """The Nice classes a text maps to and the map's words that put them there."""

    classes: frozenset[str]
    words: tuple[str, ...]


_NONE = CategoryMatch(frozenset(), ())


@dataclass(frozen=True)
class CategoryMap:
    """Folded goods words -> Nice classes (as strings, "9", like ``Asset.classes``)."""

    words: dict[str, frozenset[str]]
    not_goods: frozenset[str] = field(default=frozenset())

    def classes_for(self, category: str | None) -> CategoryMatch:
        """Classes of every known word in ``category``; empty when none is known."""
        if not category:
            return _NONE
        return self._match(fold(category[:MAX_CATEGORY_CHARS])[:MAX_FOLDED_CHARS])

    def classes_for_title(
        self,
        title: str | None,
        exclude: Iterable[tuple[int, int]] = (),
        ignore: Iterable[str] = (),
    ) -> CategoryMatch:
        """The goods ``title`` names, without the mark and without what an accessory fits.

        ``exclude``: (start, end) offsets into ``title`` to skip (the matched mark's spans);
        ``ignore``: texts to skip wherever they appear (the mark as registered), as a fallback
        for callers that have no spans.
        """
        if not title:
            return _NONE
        chars = list(title[:MAX_TITLE_CHARS])
        for start, end in exclude:
            for i in range(max(0, start), min(end, len(chars))):
                chars[i] = MARK
        text = fold("".join(chars))[:MAX_FOLDED_CHARS]
        for mark in ignore:
            if pattern := _mark_pattern(mark):
                text = pattern.sub(lambda m: MARK * len(m.group()), text)
        return self._match(_drop_fitted(text))

    @cached_property
    def _table(self) -> dict[str, frozenset[str] | None]:
        """Every word or phrase -> its classes (None for ``not_goods``)."""
        table: dict[str, frozenset[str] | None] = dict.fromkeys(self.not_goods)
        table.update(self.words)
        return table

    @cached_property
    def _latin(self) -> dict[str, frozenset[str] | None]:
        return {k: v for k, v in self._table.items() if not _is_cjk_word(k)}

    @cached_property
    def _phrase_heads(self) -> dict[str, int]:
        """First word of each Latin phrase -> the most words a phrase starting with it has."""
        heads: dict[str, int] = {}
        for key in self._latin:
            first, n = key.split(" ", 1)[0], key.count(" ") + 1
            heads[first] = max(heads.get(first, 1), n)
        return heads

    @cached_property
    def _cjk_by_first(self) -> dict[str, list[tuple[str, frozenset[str] | None]]]:
        by_first: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
        for word, classes in self._table.items():
            if _is_cjk_word(word):
                by_first.setdefault(word[0], []).append((word, classes))
        return by_first

    def _match(self, text: str) -> CategoryMatch:
        found = _longest_first([*self._cjk_candidates(text), *self._latin_candidates(text)])
        words = sorted({w for w, classes in found if classes is not None})
        classes = frozenset(c for _, cs in found if cs is not None for c in cs)
        return CategoryMatch(classes, tuple(words))

    def _cjk_candidates(self, text: str) -> Iterator[_Candidate]:
        """Every Chinese word of the map in ``text`` as a substring, overlaps included."""
        for i, ch in enumerate(text):
            for word, classes in self._cjk_by_first.get(ch, ()):
                if text.startswith(word, i):
                    yield i, i + len(word), word, classes

    def _latin_candidates(self, text: str) -> Iterator[_Candidate]:
        """Every word or phrase of the map made of whole words of one clause."""
        latin = "".join(" " if is_cjk(c) else c for c in text)
        for start, end in _clauses(latin, WORD_BREAKS):
            tokens = list(_WORD.finditer(latin, start, end))
            words = [t.group() for t in tokens]
            for i, first in enumerate(words):
                for n in range(1, min(self._phrase_heads.get(first, 1), len(words) - i) + 1):
                    head = " ".join(words[i : i + n - 1])
                    for last in _forms(words[i + n - 1]):
                        key = f"{head} {last}" if head else last
                        if key in self._latin:
                            yield tokens[i].start(), tokens[i + n - 1].end(), key, self._latin[key]
                            break


def nice_class(value: str) -> str | None:
    """A registered class as the map writes it ("09" and " 9" -> "9"); None if not Nice."""
    text = value.strip()
    if not text.isascii() or not text.isdigit() or int(text) not in NICE_CLASSES:
        return None
    return str(int(text))


def load_category_map(path: str | Path | None = None) -> CategoryMap:
    """Read and validate a category map; ``None`` reads the one bundled with ipwatch."""
    if path is None:
        source = resources.files("config").joinpath(BUNDLED)
        name = f"config/{BUNDLED}"
    else:
        source = Path(path)
        name = str(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CategoryMapError(
            f"cannot read category map {name}: {exc}; pass the path of a readable YAML file"
        ) from exc
    words, not_goods = _parse(data, name)
    return CategoryMap(words, not_goods)


@lru_cache(maxsize=1)
def bundled_category_map() -> CategoryMap:
    """The bundled map, loaded once per process."""
    return load_category_map()


def _is_cjk_word(word: str) -> bool:
    return any(is_cjk(c) for c in word)


def _forms(token: str) -> tuple[str, ...]:
    """The token, then the singulars a plural may stand for ("bulbs", "dresses", "cookies")."""
    if len(token) < 4 or not token.endswith("s") or token.endswith("ss"):
        return (token,)
    forms = [token, token[:-1]]
    if token.endswith("es"):
        forms.append(token[:-2])
    if token.endswith("ies"):
        forms.append(token[:-3] + "y")
    return tuple(forms)


def _clauses(text: str, breaks: frozenset[str] = CLAUSE_BREAKS) -> list[tuple[int, int]]:
    """(start, end) of each run of text between ``breaks`` (" - " counts as one)."""
    text = _SPACED_DASH.sub(lambda m: BARRIER * len(m.group()), text)
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in breaks:
            if i > start:
                out.append((start, i))
            start = i + 1
    if len(text) > start:
        out.append((start, len(text)))
    return out


def _longest_first(candidates: list[_Candidate]) -> list[tuple[str, frozenset[str] | None]]:
    """Keep the longest of overlapping matches (then the leftmost)."""
    taken: set[int] = set()
    kept = []
    for start, end, word, classes in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        span = range(start, end)
        if not taken.intersection(span):
            taken.update(span)
            kept.append((word, classes))
    return kept


def _drop_fitted(text: str) -> str:
    """Blank what an accessory fits.

    After "for"/"fits"/"compatible with" to the clause's end (the next clause too when the
    marker ends its own, as in "Compatible with: X"); after 适用于/兼容 to 的 or the clause's
    end; before 专用/通用 back to the clause's start.
    """
    chars = list(text)

    def blank(start: int, end: int) -> None:
        chars[start:end] = BARRIER * (end - start)

    clauses = _clauses(text)
    for n, (start, end) in enumerate(clauses):
        clause = text[start:end]
        if m := _FITS_EN.search(clause):
            blank(start + m.start(), end)
            if not _WORD.search(clause, m.end()) and n + 1 < len(clauses):
                blank(*clauses[n + 1])
        for z in _FITS_ZH.finditer(clause):
            stop = clause.find("的", z.end())
            blank(start + z.start(), start + (stop if stop >= 0 else len(clause)))
        for b in _FITS_BEFORE_ZH.finditer(clause):
            blank(start, start + b.end())
    return "".join(chars)


@lru_cache(maxsize=4096)
def _mark_pattern(mark: str) -> re.Pattern[str] | None:
    """The folded mark with any spacing or punctuation between its words, as a whole word."""
    parts = _WORD.findall(fold(mark))
    if not parts:
        return None
    body = r"[\W_]*".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")


def _parse(data: Any, name: str) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise CategoryMapError(
            f"{name}: expected a mapping with a 'categories' list of {{classes, words}} entries"
        )
    words: dict[str, frozenset[str]] = {}
    for n, entry in enumerate(data["categories"], 1):
        where = f"{name}: categories entry {n}"
        if not isinstance(entry, dict) or set(entry) != {"classes", "words"}:
            raise CategoryMapError(f"{where} must have exactly the keys 'classes' and 'words'")
        raw_classes, raw_words = entry["classes"], entry["words"]
        if not isinstance(raw_classes, list) or not raw_classes:
            raise CategoryMapError(f"{where}: 'classes' must be a non-empty list such as [9]")
        classes = set()
        for c in raw_classes:
            cls = nice_class(str(c)) if isinstance(c, int | str) else None
            if cls is None or isinstance(c, bool):
                raise CategoryMapError(f"{where}: {c!r} is not a Nice class; use 1 to 45")
            classes.add(cls)
        if not isinstance(raw_words, list) or not raw_words:
            raise CategoryMapError(f"{where}: 'words' must be a non-empty list of strings")
        for w in raw_words:
            key = _key(w, where)
            if key in words:
                raise CategoryMapError(
                    f"{where}: {w!r} is listed twice; keep each word in one entry and list"
                    " all its classes there"
                )
            words[key] = frozenset(classes)
    raw_not_goods = data.get("not_goods", [])
    if not isinstance(raw_not_goods, list):
        raise CategoryMapError(f"{name}: 'not_goods' must be a list of phrases such as [wine red]")
    not_goods = set()
    for w in raw_not_goods:
        key = _key(w, f"{name}: not_goods")
        if key in words or key in not_goods:
            raise CategoryMapError(
                f"{name}: not_goods {w!r} is listed twice or is also a goods word; keep it once"
            )
        not_goods.add(key)
    not_goods |= _shade_phrases(data, name, words)
    return words, frozenset(not_goods)


def _shade_phrases(data: dict[str, Any], name: str, words: dict[str, Any]) -> set[str]:
    """Every shade followed by every colour ("piano black", "咖啡色"), unless a goods word."""
    lists = []
    for field_name in ("shades", "colours"):
        raw = data.get(field_name, [])
        if not isinstance(raw, list):
            raise CategoryMapError(
                f"{name}: '{field_name}' must be a list of words such as [piano, cherry]"
            )
        lists.append([_key(w, f"{name}: {field_name}") for w in raw])
    shades, colours = lists
    out = set()
    for shade in shades:
        for colour in colours:
            joined = shade + colour if _is_cjk_word(colour) else f"{shade} {colour}"
            if joined not in words:
                out.add(joined)
    return out


def _key(word: object, where: str) -> str:
    key = " ".join(_WORD.findall(fold(word))) if isinstance(word, str) else ""
    if not key:
        raise CategoryMapError(f"{where}: {word!r} is not a word; use letters")
    return key
