"""Map a listing's marketplace category to Nice classes, from data bundled once.

The map (``config/nice_categories.yaml``) lists category words per set of Nice classes.
English words and phrases match whole words of the folded category; Chinese words match as
substrings (Chinese is written without spaces). A category maps to the union of the classes
of every word it contains; a category with no known word maps to nothing. Titles are never
read: v1 does not guess the goods from the listing's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from detector.exceptions import CategoryMapError
from detector.normalize import fold, is_cjk

BUNDLED = "nice_categories.yaml"
MAX_CATEGORY_CHARS = 500  # category text is attacker-controlled; real ones are short
NICE_CLASSES = range(1, 46)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class CategoryMatch:
    """The Nice classes a category maps to and the map's words that put them there."""

    classes: frozenset[str]
    words: tuple[str, ...]


@dataclass(frozen=True)
class CategoryMap:
    """Folded category words -> Nice classes (as strings, "9", like ``Asset.classes``)."""

    words: dict[str, frozenset[str]]

    def classes_for(self, category: str | None) -> CategoryMatch:
        """Classes of every known word in ``category``; empty when none is known."""
        if not category:
            return CategoryMatch(frozenset(), ())
        folded = fold(category[:MAX_CATEGORY_CHARS])
        spaced = " " + " ".join(_WORD.findall(folded)) + " "
        found = [w for w in self.words if (w in folded if _is_cjk_word(w) else f" {w} " in spaced)]
        classes = frozenset(c for w in found for c in self.words[w])
        return CategoryMatch(classes, tuple(sorted(found)))


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
    return CategoryMap(_parse(data, name))


@lru_cache(maxsize=1)
def bundled_category_map() -> CategoryMap:
    """The bundled map, loaded once per process."""
    return load_category_map()


def _is_cjk_word(word: str) -> bool:
    return any(is_cjk(c) for c in word)


def _parse(data: Any, name: str) -> dict[str, frozenset[str]]:
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
            key = " ".join(_WORD.findall(fold(w))) if isinstance(w, str) else ""
            if not key:
                raise CategoryMapError(f"{where}: {w!r} is not a word; use letters")
            if key in words:
                raise CategoryMapError(
                    f"{where}: {w!r} is listed twice; keep each word in one entry and list"
                    " all its classes there"
                )
            words[key] = frozenset(classes)
    return words
