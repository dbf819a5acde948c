"""Nuxt 2 pages hold their state as a JS function call, not JSON: ``window.__NUXT__=(function(a,
b){return {data:[{id:"A10",status:a}]}}("X",0))`` (keys unquoted, repeated values passed as
arguments). This reads that form into the JSON value it stands for, so the state's fields are
read like any other embedded state."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

MAX_DEPTH = 200
_CALL = re.compile(r"=\s*\(?\s*function\s*\(([\w$,\s]*)\)\s*\{\s*return\s*(?=[\[{])")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SPACE = re.compile(r"\s*")
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None, "undefined": None}
_DECODER = json.JSONDecoder(strict=False, parse_float=Decimal)


class _Param:
    """A function parameter in the body, replaced by its argument once the call is read."""

    def __init__(self, name: str) -> None:
        self.name = name


class _Reader:
    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos

    def skip(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def take(self, char: str) -> bool:
        self.skip()
        if self.text.startswith(char, self.pos):
            self.pos += len(char)
            return True
        return False

    def value(self, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise ValueError("too deep")
        self.skip()
        char = self.text[self.pos : self.pos + 1]
        if char == "{":
            return self._object(depth)
        if char == "[":
            return self._array(depth)
        if char in "\"'":
            return self._string()
        number = _NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            text = number.group(0)
            return Decimal(text) if any(c in text for c in ".eE") else int(text)
        name = _NAME.match(self.text, self.pos)
        if name is None:
            raise ValueError(f"unexpected {char!r} at {self.pos}")
        self.pos = name.end()
        if name.group(0) == "void":
            self.value(depth + 1)
            return None
        return _WORDS[name.group(0)] if name.group(0) in _WORDS else _Param(name.group(0))

    def _string(self) -> str:
        quote = self.text[self.pos]
        if quote == '"':
            value, self.pos = _DECODER.raw_decode(self.text, self.pos)
            return str(value)
        end = self.pos + 1
        while self.text[end] != "'":
            end += 2 if self.text[end] == "\\" else 1
        body = self.text[self.pos + 1 : end].replace('\\"', '"').replace("\\'", "'")
        self.pos = end + 1
        return str(_DECODER.decode('"' + body.replace('"', '\\"') + '"'))

    def _object(self, depth: int) -> dict[str, Any]:
        self.pos += 1
        found: dict[str, Any] = {}
        while not self.take("}"):
            self.skip()
            if self.text[self.pos] in "\"'":
                key = self._string()
            else:
                match = _NAME.match(self.text, self.pos) or _NUMBER.match(self.text, self.pos)
                if match is None:
                    raise ValueError(f"no key at {self.pos}")
                key, self.pos = match.group(0), match.end()
            if not self.take(":"):
                raise ValueError(f"no colon at {self.pos}")
            found[key] = self.value(depth + 1)
            if self.take("}"):
                break
            if not self.take(","):
                raise ValueError(f"no comma at {self.pos}")
        return found

    def _array(self, depth: int) -> list[Any]:
        self.pos += 1
        found: list[Any] = []
        while not self.take("]"):
            found.append(self.value(depth + 1))
            if self.take("]"):
                break
            if not self.take(","):
                raise ValueError(f"no comma at {self.pos}")
        return found


def _bind(value: Any, args: dict[str, Any]) -> Any:
    if isinstance(value, _Param):
        return args.get(value.name)
    if isinstance(value, dict):
        return {k: _bind(v, args) for k, v in value.items()}
    if isinstance(value, list):
        return [_bind(v, args) for v in value]
    return value


def function_states(script: str) -> list[tuple[str, Any]]:
    """(name, value) for each ``name=(function(params){return {...}}(args))`` in a script;
    one that does not read as that form is skipped."""
    found = []
    for match in _CALL.finditer(script):
        name = _NAME_BEFORE.search(script, 0, match.start())
        params = [p.strip() for p in match.group(1).split(",") if p.strip()]
        reader = _Reader(script, match.end())
        try:
            body = reader.value()
            reader.take("}")
            reader.take(")")  # '(function(){...})(args)' closes the function first
            if not reader.take("("):  # a function defined, not called, holds no state
                continue
            args: list[Any] = []
            while not reader.take(")"):
                args.append(reader.value())
                reader.take(",")
        except (ValueError, IndexError, RecursionError):
            continue
        bound = _bind(body, dict(zip(params, args, strict=False)))
        if isinstance(bound, (dict, list)) and bound:
            found.append((name.group(1) if name else "function", bound))
    return found


_NAME_BEFORE = re.compile(r"([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*$")
