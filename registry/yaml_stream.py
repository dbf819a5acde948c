"""Safe YAML built straight from libyaml's events: no node tree, no aliases, bounded nesting.

PyYAML's pure-Python ``SafeLoader`` first composes the whole document into a tree of nodes and
then constructs it: a 15 MB registry took minutes and over a gigabyte. Here the C parser's events
are turned into plain values as they arrive, so memory is the text plus the result, and the
nesting bound and the alias refusal are checked in the same pass. Scalars are resolved and
constructed exactly as ``SafeLoader`` does (same resolver, same constructors).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
_COLLECTION_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class _Frame:
    """A mapping or list being filled; ``key`` holds a mapping's key until its value arrives."""

    __slots__ = ("has_key", "key", "value")

    def __init__(self, value: dict[Any, Any] | list[Any]) -> None:
        self.value = value
        self.key: Any = None
        self.has_key = False

    def add(self, item: Any, mark: Any) -> None:
        if isinstance(self.value, list):
            self.value.append(item)
        elif not self.has_key:
            try:
                hash(item)
            except TypeError:
                raise ConstructorError(
                    None, None, "a mapping key must be a plain value", mark
                ) from None
            self.key, self.has_key = item, True
        else:
            self.value[self.key] = item
            self.has_key = False


def load(text: str, *, max_depth: int, too_deep: str) -> Any:
    """The single document in ``text`` as dicts, lists and scalars (``None`` when empty).

    Raises ``yaml.MarkedYAMLError`` (with line and column) for syntax errors, aliases, nesting
    deeper than ``max_depth`` (message ``too_deep``) and tags the safe loader does not know.
    """
    try:
        return _build(text, max_depth, too_deep)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" not in str(exc.problem):
            raise
        # libyaml reads ahead and stops at 1000 levels before our own check sees them.
        raise ComposerError(None, None, too_deep, exc.problem_mark) from None


def _build(text: str, max_depth: int, too_deep: str) -> Any:
    resolver, constructor = Resolver(), SafeConstructor()
    stack: list[_Frame] = []
    documents = 0
    result: Any = None
    for event in yaml.parse(text, Loader=_Parser):
        mark: Any = event.start_mark  # libyaml's Mark type or PyYAML's: the same fields
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise ComposerError(None, None, "more than one document (---); keep one", mark)
            continue
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(
                None, None, "aliases (*name) are not allowed; write the value out", mark
            )
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(stack) >= max_depth:
                raise ComposerError(None, None, too_deep, mark)
            if event.tag not in _COLLECTION_TAGS:
                raise ConstructorError(None, None, f"tag {event.tag} is not allowed here", mark)
            is_map = isinstance(event, yaml.MappingStartEvent)
            stack.append(_Frame({} if is_map else []))
            continue
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            value = stack.pop().value
        elif isinstance(event, yaml.ScalarEvent):
            value = _scalar(event, resolver, constructor)
        else:  # stream and document ends
            continue
        if stack:
            stack[-1].add(value, mark)
        else:
            result = value
    return result


def _scalar(event: yaml.ScalarEvent, resolver: Resolver, constructor: SafeConstructor) -> Any:
    start: Any = event.start_mark
    end: Any = event.end_mark
    tag = event.tag
    if tag is None or tag == "!":
        tag = resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    node = ScalarNode(tag, event.value, start, end, event.style)
    construct = SafeConstructor.yaml_constructors.get(tag)
    if construct is None or tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise ConstructorError(None, None, f"tag {tag} is not allowed here", start)
    return construct(constructor, node)
