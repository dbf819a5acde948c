"""tools/rewrite_imports.py: module moves and split modules rewritten once, and only once.

rewrite-imports: skip-file (the examples below must keep the old paths)
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tools.rewrite_imports import load_moves, main, rewrite_text

MOVES = textwrap.dedent(
    """\
    evidence.verify\tevidence.verify.artifacts
    evidence.verify_home\tevidence.verify.home
    evidence.chromium\tevidence.capture.chromium
    evidence.translog\tevidence.log.translog
    evidence.translog:SignedTreeHead\tevidence.log.tree_head
    """
)

BEFORE = textwrap.dedent(
    """\
    from evidence import chromium  # a module
    from evidence.translog import SignedTreeHead, TransparencyLog
    from evidence.verify import Check
    from evidence.verify_home import verify_home
    import evidence.verify as v

    LOGGER = "evidence.verify"
    PATCH = "evidence.translog.SignedTreeHead"
    """
)

AFTER = textwrap.dedent(
    """\
    from evidence.capture import chromium  # a module
    from evidence.log.tree_head import SignedTreeHead
    from evidence.log.translog import TransparencyLog
    from evidence.verify.artifacts import Check
    from evidence.verify.home import verify_home
    import evidence.verify.artifacts as v

    LOGGER = "evidence.verify.artifacts"
    PATCH = "evidence.log.tree_head.SignedTreeHead"
    """
)


def moves(tmp_path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    path = tmp_path / "MOVES.tsv"
    path.write_text(MOVES)
    return load_moves(path)


def test_imports_and_dotted_references_are_rewritten(tmp_path: Path) -> None:
    assert rewrite_text(BEFORE, ".py", *moves(tmp_path)) == AFTER


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    assert rewrite_text(AFTER, ".py", *moves(tmp_path)) == AFTER


def test_file_paths_in_prose(tmp_path: Path) -> None:
    text = "see evidence/translog.py and evidence/verify_home.py\n"
    assert rewrite_text(text, ".md", *moves(tmp_path)) == (
        "see evidence/log/translog.py and evidence/verify/home.py\n"
    )


def test_files_marked_skip_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "MOVES.tsv").write_text(MOVES)
    marked = tmp_path / "marked.py"
    marked.write_text("# rewrite-imports: " + "skip-file\nfrom evidence.verify import Check\n")
    main([str(tmp_path / "MOVES.tsv"), str(marked)])
    assert marked.read_text().endswith("from evidence.verify import Check\n")
