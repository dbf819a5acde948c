"""Rewrite imports and dotted references after modules moved, from a MOVES tsv.

Each line of the tsv is ``old.module<TAB>new.module`` (the module moved) or
``old.module:Name<TAB>new.module`` (one public name of a split module went elsewhere; names not
listed follow the module's own line, or stay where they are). The rewrite is idempotent, so it
can be re-applied after a merge brings in code written against the old paths:

    python tools/rewrite_imports.py MOVES-split.tsv [paths...]
    ruff check --fix --select I . && ruff format .

It rewrites ``from X import a, b`` (splitting the statement when names went to different
modules), ``from pkg import module``, ``import X [as y]``, dotted references in code and
strings (``"evidence.sealing"``, ``old.module.Name``), and ``old/path.py`` file paths in
Python, Markdown, TOML and Makefiles. A file containing ``rewrite-imports: skip-file`` is left
alone (the tool's own tests, whose examples are the old paths).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

SUFFIXES = {".py", ".md", ".toml", ".cfg", ".txt"}
NAMES = {"Makefile"}
SKIP_MARK = "rewrite-imports: skip-file"  # e.g. tests whose examples must keep the old paths
SKIP_DIRS = {".git", ".venv", "__pycache__", "node_modules", ".ruff_cache"}


def load_moves(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Module moves and per-name moves from a tsv (blank lines and ``#`` comments ignored)."""
    modules: dict[str, str] = {}
    names: dict[tuple[str, str], str] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            old, new = line.split("\t")
        except ValueError:
            sys.exit(f"{path}:{number}: expected old<TAB>new, got {line!r}")
        if ":" in old:
            module, name = old.split(":")
            names[(module, name)] = new
        elif old != new:
            modules[old] = new
    # a name moved out of a module that itself moved: code already rewritten for the module
    # move imports it from the module's new home
    for (module, name), new in list(names.items()):
        if module in modules:
            names.setdefault((modules[module], name), new)
    return modules, names


def target(
    module: str, name: str, modules: dict[str, str], names: dict[tuple[str, str], str]
) -> str:
    """Where ``name`` imported from ``module`` lives now."""
    if (module, name) in names:
        return names[(module, name)]
    return modules.get(module, module)


def is_new(dotted: str, new_names: set[str]) -> bool:
    """Whether ``dotted`` is a module of the new layout (or a package above one)."""
    return any(new == dotted or new.startswith(dotted + ".") for new in new_names)


def rewrite_import_statements(
    source: str, modules: dict[str, str], names: dict[tuple[str, str], str]
) -> str:
    """Rewrite ``from``/``import`` statements that name a moved module (found with ast)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    new_names = set(modules.values()) | set(names.values())
    edits: list[tuple[int, int, int, str]] = []  # first line, last line, col, new text
    for node in ast.walk(tree):
        new_text: str | None = None
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            groups: dict[str, list[str]] = {}
            changed = False
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if is_new(dotted, new_names):  # already the new layout
                    groups.setdefault(node.module, []).append(
                        alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
                    )
                    continue
                if dotted in modules:  # from pkg import module
                    parent, _, leaf = modules[dotted].rpartition(".")
                    asname = alias.asname or alias.name
                    groups.setdefault(parent, []).append(
                        leaf if asname == leaf else f"{leaf} as {asname}"
                    )
                    changed = True
                    continue
                where = target(node.module, alias.name, modules, names)
                changed |= where != node.module
                text = alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
                groups.setdefault(where, []).append(text)
            if changed:
                new_text = "\n".join(
                    f"from {where} import {', '.join(items)}" for where, items in groups.items()
                )
        elif isinstance(node, ast.Import):
            parts = []
            changed = False
            for alias in node.names:
                name = modules.get(alias.name, alias.name)
                changed |= name != alias.name
                parts.append(name if alias.asname is None else f"{name} as {alias.asname}")
            if changed:
                new_text = f"import {', '.join(parts)}"
        if new_text is not None:
            last = node.end_lineno or node.lineno
            edits.append((node.lineno, last, node.col_offset, node.end_col_offset or 0, new_text))
    for first, last, col, end_col, text in sorted(edits, reverse=True):
        indent = " " * col
        head = lines[first - 1][:col]
        # what follows the statement on its last line (a trailing comment) is kept; offsets
        # are in UTF-8 bytes, as ast gives them
        tail = lines[last - 1].encode()[end_col:].decode() or "\n"
        body = ("\n" + indent).join(text.split("\n"))
        lines[first - 1 : last] = [head + body + tail]
    return "".join(lines)


def dotted_pattern(olds: list[str]) -> re.Pattern[str]:
    """Whole dotted names only: ``evidence.verify`` must not match ``evidence.verify_home``."""
    alternatives = "|".join(re.escape(old) for old in sorted(olds, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])({alternatives})(?![\w])")


def rewrite_dotted(source: str, mapping: dict[str, str]) -> str:
    """Replace dotted references; skip text that already reads as the new name (idempotence)."""
    if not mapping:
        return source
    pattern = dotted_pattern(list(mapping))

    already = re.compile(rf"({'|'.join(re.escape(new) for new in set(mapping.values()))})(?![\w])")

    def replace(match: re.Match[str]) -> str:
        old = match.group(1)
        if already.match(source, match.start()):
            return old  # already a new name (``evidence.verify.home`` once ``evidence.verify``)
        return mapping[old]

    return pattern.sub(replace, source)


def rewrite_paths(source: str, modules: dict[str, str]) -> str:
    """``evidence/translog.py`` -> ``evidence/log/translog.py`` in prose and comments."""
    mapping = {
        old.replace(".", "/") + ".py": new.replace(".", "/") + ".py" for old, new in modules.items()
    }
    alternatives = "|".join(re.escape(old) for old in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w/.-])({alternatives})(?![\w])")
    return pattern.sub(lambda match: mapping[match.group(1)], source)


def rewrite_text(
    source: str, suffix: str, modules: dict[str, str], names: dict[tuple[str, str], str]
) -> str:
    if suffix == ".py":
        source = rewrite_import_statements(source, modules, names)
    dotted = {f"{module}.{name}": f"{new}.{name}" for (module, name), new in names.items()}
    dotted.update(modules)
    source = rewrite_dotted(source, dotted)
    return rewrite_paths(source, modules) if modules else source


def files(roots: list[Path]) -> list[Path]:
    found = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for path in sorted(root.rglob("*")):
            if any(part in SKIP_DIRS for part in path.parts) or not path.is_file():
                continue
            if path.suffix in SUFFIXES or path.name in NAMES:
                found.append(path)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("moves", type=Path, help="tsv of old<TAB>new module (or module:Name)")
    parser.add_argument("paths", type=Path, nargs="*", default=[Path(".")], help="files or folders")
    parser.add_argument(
        "--exclude", action="append", default=[], help="path prefix to leave alone (repeatable)"
    )
    args = parser.parse_args(argv)
    modules, names = load_moves(args.moves)
    changed = 0
    for path in files(args.paths):
        if any(path.as_posix().startswith(prefix) for prefix in args.exclude):
            continue
        if path.resolve() in (args.moves.resolve(), Path(__file__).resolve()):
            continue
        text = path.read_text(encoding="utf-8")
        if SKIP_MARK in text:
            continue
        new = rewrite_text(text, path.suffix, modules, names)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
            print(f"rewrote {path}")
    print(f"{changed} file(s) rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
