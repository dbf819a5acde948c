"""Lexicon YAML files: their pydantic models, loading (bundled or a given path) and checks."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from detector.exceptions import LexiconError
from detector.phrases import fold_phrase, has_word


class StrictModel(BaseModel):
    """Unknown keys are errors (a typo must not silently disable a rule); values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PhraseSpec(StrictModel):
    """One phrase of a lexicon, with the conditions a hit must meet."""

    term: str = Field(min_length=1, max_length=64)
    lang: tuple[str, ...] = Field(
        min_length=1, description="ISO 639-1 code(s), e.g. en or [es, pt]"
    )
    match: Literal["word", "substring"] = Field(
        default="word", description="word: letter/digit edges need a word boundary"
    )
    unless: tuple[str, ...] = Field(default=(), description="phrases near the hit that drop it")
    only_with: tuple[str, ...] = Field(default=(), description="phrases that must be near the hit")
    window: int = Field(default=20, ge=0, le=200, description="'near': folded chars between")

    @field_validator("lang", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("lang")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha() and code.islower()):
                raise ValueError(f"{code!r} is not a language code; use ISO 639-1 such as en, zh")
        return value

    @field_validator("term", "unless", "only_with")
    @classmethod
    def _foldable(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        for phrase in (value,) if isinstance(value, str) else value:
            if not has_word(phrase):
                raise ValueError(f"{phrase!r} has no letter or digit; write a word")
        return value


class TermSpec(PhraseSpec):
    weight: float = Field(gt=0, le=1, description="how strongly the term alone signals intent")


class CategorySpec(StrictModel):
    description: str = Field(min_length=1)
    terms: tuple[TermSpec, ...] = Field(min_length=1)


class CounterfeitFile(StrictModel):
    version: Literal[1]
    negations: tuple[str, ...] = Field(description="words that negate the term right after them")
    negation_fillers: tuple[str, ...] = Field(
        default=(), description="words allowed between a negation and the term ('a', 'any')"
    )
    categories: dict[str, CategorySpec] = Field(min_length=1)

    @field_validator("categories")
    @classmethod
    def _names(cls, value: dict[str, CategorySpec]) -> dict[str, CategorySpec]:
        for name in value:
            if not (name.isascii() and name.replace("_", "").isalpha() and name.islower()):
                raise ValueError(f"category name {name!r} must be lower-case letters and _")
        return value


M = TypeVar("M", bound=BaseModel)


def read_lexicon_file(path: str | Path | None, bundled: str, model: type[M]) -> M:
    """Read and validate a lexicon YAML; ``None`` reads ``config/<bundled>``."""
    if path is None:
        source: Any = resources.files("config").joinpath(bundled)
        name = f"config/{bundled}"
    else:
        source, name = Path(path), str(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(
            f"cannot read lexicon {name}: {exc}; pass the path of a readable YAML file"
        ) from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: a lexicon must be a mapping, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise LexiconError(describe_errors(name, data, exc)) from exc


def describe_errors(name: str, data: Any, error: ValidationError) -> str:
    """One line per problem, naming the entry by its term so the fix is easy to find."""
    lines = [f"{name}: invalid lexicon ({error.error_count()} problem(s)):"]
    for problem in error.errors():
        where: list[str] = []
        node: Any = data
        for part in problem["loc"]:
            node = _child(node, part)
            where.append(f"[{part}]" if isinstance(part, int) else f".{part}")
            if isinstance(node, dict) and isinstance(node.get("term"), str):
                where.append(f" ({node['term']!r})")
        loc = "".join(where).lstrip(".") or "(top level)"
        lines.append(f"  - {loc}: {problem['msg']}")
    return "\n".join(lines)


def _child(node: Any, part: int | str) -> Any:
    """``node[part]`` of the raw YAML when it exists, else None."""
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def check_unique(phrases: Sequence[PhraseSpec], places: Sequence[str], source: str) -> None:
    """Each folded term once per file: a repeat would match twice or shadow the other."""
    seen: dict[str, tuple[str, str]] = {}
    for phrase, place in zip(phrases, places, strict=True):
        key = fold_phrase(phrase.term)
        if key in seen:
            first, where = seen[key]
            raise LexiconError(
                f"{source}: {place}: term {phrase.term!r} is the same as {first!r} in {where}"
                " once folded (case, width, accents and dashes are ignored); keep one entry"
                " and list all its languages in its 'lang'"
            )
        seen[key] = (phrase.term, place)
