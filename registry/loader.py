"""Read an import file as YAML or JSON, reporting syntax errors with their line and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from registry import yaml_stream
from registry.exceptions import RegistryImportError

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32  # a registry is owners > assets > fields > lists: a handful of levels
JSON_SUFFIXES = frozenset({".json"})
YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def _too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels deep; a registry needs only a few levels"


def _depth_exceeds(value: Any, limit: int) -> bool:
    """True when lists/mappings nest deeper than ``limit`` (iterative: no recursion to blow)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def detect_format(path: Path, text: str) -> str:
    """``json`` or ``yaml`` by extension; other extensions are sniffed from the first character."""
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in YAML_SUFFIXES:
        return "yaml"
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


def read_document(path: Path) -> Any:
    """Parsed content of ``path``; any read or syntax problem becomes a RegistryImportError."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RegistryImportError(
                path, [f"{path}: file is {size} bytes, over {MAX_FILE_BYTES}; split it into parts"]
            )
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RegistryImportError(path, [f"{path}: file not found; check the path"]) from None
    except UnicodeDecodeError as exc:
        raise RegistryImportError(
            path, [f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8"]
        ) from None
    except OSError as exc:
        raise RegistryImportError(path, [f"{path}: cannot read: {exc.strerror}"]) from None
    if detect_format(path, text) == "json":
        return _parse_json(path, text)
    return _parse_yaml(path, text)


def _parse_json(path: Path, text: str) -> Any:
    try:
        value = json.loads(text)
    except RecursionError:
        raise RegistryImportError(path, [f"{path}: JSON {_too_deep()}"]) from None
    except json.JSONDecodeError as exc:
        raise RegistryImportError(
            path,
            [
                f"{path}: line {exc.lineno}, column {exc.colno}: JSON syntax error: {exc.msg}; "
                "fix the syntax and re-import"
            ],
        ) from None
    if _depth_exceeds(value, MAX_DEPTH):
        raise RegistryImportError(path, [f"{path}: JSON {_too_deep()}"])
    return value


def _parse_yaml(path: Path, text: str) -> Any:
    try:
        return yaml_stream.load(text, max_depth=MAX_DEPTH, too_deep=_too_deep())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = " ".join(part for part in (exc.context, exc.problem) if part)
        raise RegistryImportError(
            path, [f"{path}: {at}YAML syntax error: {reason}; fix the syntax and re-import"]
        ) from None
    except (yaml.YAMLError, ValueError) as exc:  # a scalar its tag cannot read (!!int x)
        raise RegistryImportError(path, [f"{path}: YAML error: {str(exc)[:300]}"]) from None
