"""Re-apply the store/model moves to Python sources (so the rewrite can be replayed after a merge).

    python tools/rewrite_imports_store.py [MOVES-store.tsv] [RENAMES-store.tsv] [paths...]

MOVES lines are ``old.dotted.path<TAB>new.dotted.path``: a module (every ``from X import``,
``import X`` and dotted reference, strings included, is rewritten, longest path first) or one
name moved between modules, written ``old.module:name<TAB>new.module:name`` (or dotted, when the
name starts with a capital): ``from old import A, name`` is split so ``name`` comes from the new
module. Lines starting with ``#`` are comments. RENAMES lines are ``OldName<TAB>NewName``,
replaced as whole identifiers. Afterwards ``ruff check --fix --select I`` and ``ruff format`` tidy
the files that changed. Idempotent: running it twice changes nothing the second time.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SKIP = {".venv", ".git", "__pycache__", "data", ".cache"}
FROM_IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)from[ \t]+(?P<module>[\w.]+)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n]*)",
    re.M,
)


def read_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            old, new = line.split("\t")[:2]
            pairs.append((old.strip(), new.strip()))
    return pairs


def split_moves(moves: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], dict]:
    modules, symbols = [], {}
    for old, new in moves:
        if ":" in old:
            old_mod, name = old.split(":")
            new_mod, new_name = new.split(":")
            symbols[(old_mod, name)] = (new_mod, new_name)
        elif old.rsplit(".", 1)[-1][:1].isupper():
            old_mod, name = old.rsplit(".", 1)
            new_mod, new_name = new.rsplit(".", 1)
            symbols[(old_mod, name)] = (new_mod, new_name)
        else:
            modules.append((old, new))
    modules.sort(key=lambda pair: -len(pair[0]))
    return modules, symbols


def move_symbols(text: str, symbols: dict) -> str:
    def fix(match: re.Match[str]) -> str:
        module, indent = match["module"], match["indent"]
        raw = re.sub(r"#[^\n]*", "", match["names"]).strip("()")
        names = [n.strip() for n in raw.replace("\\\n", " ").split(",") if n.strip()]
        kept, moved = [], []
        for name in names:
            base = name.split(" as ")[0].strip()
            target = symbols.get((module, base))
            if target is None:
                kept.append(name)
            else:
                rest = name[len(base) :]
                moved.append(f"{indent}from {target[0]} import {target[1]}{rest}")
        if not moved:
            return match.group(0)
        lines = [f"{indent}from {module} import {', '.join(kept)}"] if kept else []
        return "\n".join(lines + moved)

    return FROM_IMPORT.sub(fix, text)


def move_modules(text: str, modules: list[tuple[str, str]]) -> str:
    for old, new in modules:
        text = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w])", new, text)
    return text


def rename(text: str, renames: list[tuple[str, str]]) -> str:
    for old, new in renames:
        text = re.sub(rf"\b{re.escape(old)}\b", new, text)
    return text


def python_files(paths: list[Path]) -> list[Path]:
    found = []
    for root in paths:
        candidates = [root] if root.is_file() else root.rglob("*.py")
        for path in candidates:
            if not SKIP.intersection(path.parts) and path.name != Path(__file__).name:
                found.append(path)
    return sorted(found)


def main(argv: list[str]) -> int:
    moves_file = Path(argv[0]) if argv else Path("MOVES-store.tsv")
    renames_file = Path(argv[1]) if len(argv) > 1 else Path("RENAMES-store.tsv")
    roots = [Path(p) for p in argv[2:]] or [Path()]
    modules, symbols = split_moves(read_pairs(moves_file))
    renames = read_pairs(renames_file) if renames_file.exists() else []
    changed = []
    for path in python_files(roots):
        before = path.read_text()
        after = rename(move_modules(move_symbols(before, symbols), modules), renames)
        if after != before:
            path.write_text(after)
            changed.append(str(path))
    if changed:
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "check", "--fix", "--select", "I", "-q", *changed], check=False)  # noqa: S603
        subprocess.run([*ruff, "format", "-q", *changed], check=False)  # noqa: S603
    print(f"rewrote {len(changed)} file(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
