"""Letters or digits glued to a mark, decorated Latin letters and trademark signs (issue 15).

New marks and titles, written for these tests (not taken from the bench sets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from detector.engine import Detector
from model import Asset, AssetKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from model import Finding, Listing

TELMORA = Asset(
    id="T", owner="Telmora SA", kind=AssetKind.WORD_MARK, name="TELMORA", classes=("9",)
)
BRIXO = Asset(id="B", owner="Brixo AG", kind=AssetKind.WORD_MARK, name="BRIXO", classes=("28",))
JUNO = Asset(id="J", owner="Juno Oy", kind=AssetKind.WORD_MARK, name="JUNQ", classes=("25",))
LIGHTA = Asset(id="L", owner="Light Co", kind=AssetKind.WORD_MARK, name="LIGHT", classes=("11",))


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector([TELMORA, BRIXO, JUNO, LIGHTA])


def _only(detector: Detector, listing: Listing) -> Finding:
    [finding] = [f for f in detector.detect(listing) if f.flagged]
    return finding


def _mark(finding: Finding) -> dict[str, object]:
    [signal] = [s for s in finding.signals if s.kind == "word_mark"]
    return signal.evidence


@pytest.mark.parametrize(
    ("title", "span", "piece"),
    [
        ("Telmora7 smart watch", "Telmora7", "digit '7'"),
        ("TelmoraX smart watch", "TelmoraX", "letter 'X'"),
        ("ZTelmora smart watch", "ZTelmora", "letter 'Z'"),
        ("xqtelmora smart watch", "xqtelmora", "letters 'xq'"),
        ("Telmorazq smart watch", "Telmorazq", "letters 'zq'"),
        ("Brixo9 building blocks", "Brixo9", "digit '9'"),
        ("QBrixo building blocks", "QBrixo", "letter 'Q'"),
        ("Junq5 socks", "Junq5", "digit '5'"),
    ],
)
def test_a_short_piece_glued_to_a_mark_is_a_disguise_that_flags_alone(
    detector: Detector, make_listing: Callable[..., Listing], title: str, span: str, piece: str
) -> None:
    evidence = _mark(_only(detector, make_listing(title, seller=None, price=None)))
    assert evidence["text"] == span
    assert evidence["disguised"] is True
    assert "fused" in evidence["disguises"]  # type: ignore[operator]
    assert f"{piece} fused to the mark" in evidence["reasons"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "title",
    [
        "Telmora 7 smart watch",  # a model number after a space
        "Telmora-7 smart watch",
        "TelmoraPro smart watch",  # a compound: product line, not a glued letter
        "Telmora2026 smart watch",  # a year
        "Telmora's smart watch",
        "Junq 5 socks",
        "Slight lamp shade",  # LIGHT with a letter glued is another word
        "JUNQ SOCKS",
    ],
)
def test_separated_numbers_compounds_and_words_are_not_glued_disguises(
    detector: Detector, make_listing: Callable[..., Listing], title: str
) -> None:
    for finding in detector.detect(make_listing(title, seller=None, price=None)):
        assert not _mark(finding)["disguised"], title


def test_a_short_mark_spelt_apart_with_a_digit_glued_on_is_not_the_mark(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    assert not [f for f in detector.detect(make_listing("JU NQ5 socks")) if f.asset_id == "J"]


@pytest.mark.parametrize(
    ("title", "char"),
    [
        ("Telmoʀa smart watch", "ʀ"),  # small capital R
        ("Teꝉmora smart watch", "ꝉ"),  # l with high stroke
        ("Telmoɽa smart watch", "ɽ"),  # r with tail
        ("Telmorɑ smart watch", "ɑ"),  # alpha (TR39 lists it)
        ("Brixȯ building blocks", "ȯ"),  # dot above: an accent
        ("Bɍixo building blocks", "ɍ"),  # r with stroke
        ("Brixᴏ building blocks", "ᴏ"),  # small capital O
    ],
)
def test_decorated_latin_letters_outside_tr39_read_as_their_base_letter(
    detector: Detector, make_listing: Callable[..., Listing], title: str, char: str
) -> None:
    evidence = _mark(_only(detector, make_listing(title, seller=None, price=None)))
    assert evidence["similarity"] == 1.0
    assert "misspelling" not in evidence["disguises"]  # type: ignore[operator]
    assert any(char in reason for reason in evidence["reasons"])  # type: ignore[union-attr]


def test_a_letter_with_a_hook_names_its_unicode_character(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    evidence = _mark(_only(detector, make_listing("Telmoꞃa smart watch", seller=None, price=None)))
    assert evidence["disguises"] == ["homoglyph"]
    assert "LATIN SMALL LETTER INSULAR R" in str(evidence["reasons"])


@pytest.mark.parametrize("sign", ["™", "℠", "®", "©", "№"])
def test_trademark_signs_do_not_hide_the_mark(
    detector: Detector, make_listing: Callable[..., Listing], sign: str
) -> None:
    """'TELMORA™' is the mark and a sign, not the word 'telmoratm'."""
    findings = {f.asset_id: f for f in detector.detect(make_listing(f"TELMORA{sign} smart watch"))}
    evidence = _mark(findings["T"])
    assert (evidence["text"], evidence["disguised"]) == ("TELMORA", False)


@pytest.mark.parametrize(
    ("title", "piece"),
    [
        ("TELMORA6Q smart watch", "6Q"),  # digit then letter
        ("Telmora8r smart watch", "8r"),
        ("q0Telmora smart watch", "q0"),  # letter then digit
        ("8dTelmora smart watch", "8d"),
        ("0mBrixo building blocks", "0m"),
    ],
)
def test_a_piece_of_a_letter_and_a_digit_glued_to_a_mark_is_a_disguise(
    detector: Detector, make_listing: Callable[..., Listing], title: str, piece: str
) -> None:
    evidence = _mark(_only(detector, make_listing(title, seller=None, price=None)))
    assert evidence["disguised"] is True
    assert evidence["text"] in title.split()[0]
    assert piece[0] in evidence["text"] or piece[1] in evidence["text"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "title",
    [
        "Telmora6qx smart watch",  # three characters glued: a model code, not a disguise
        "Telmora 6q smart watch",
        "Junq5x socks",  # a short mark takes glued digits only
    ],
)
def test_longer_or_separated_mixed_pieces_are_not_glued_disguises(
    detector: Detector, make_listing: Callable[..., Listing], title: str
) -> None:
    for finding in detector.detect(make_listing(title, seller=None, price=None)):
        assert "fused" not in _mark(finding)["disguises"], title  # type: ignore[operator]


@pytest.mark.parametrize(
    ("title", "piece"),
    [
        ("7KTELMORA smart watch", "7K"),  # digit, then a capital glued to a capital mark
        ("2XBRIXO building blocks", "2X"),
        ("5DTelmora smart watch", "5D"),
    ],
)
def test_a_digit_and_a_letter_inside_one_capitalised_word_are_cut_off(
    detector: Detector, make_listing: Callable[..., Listing], title: str, piece: str
) -> None:
    evidence = _mark(_only(detector, make_listing(title, seller=None, price=None)))
    assert evidence["text"] == title.split()[0]
    assert "fused" in evidence["disguises"]  # type: ignore[operator]
    assert f"characters '{piece}' fused to the mark" in evidence["reasons"]  # type: ignore[operator]


def test_a_short_mark_does_not_lose_a_mixed_piece(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    assert not [
        f
        for f in detector.detect(make_listing("4XJUNQ socks", seller=None, price=None))
        if f.flagged
    ]
