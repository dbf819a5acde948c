"""One text, one finding: a logo's word element found where the owner's word mark is found.

An owner often registers a word mark and a logo whose word element is the same word. A title
that names the brand matched both, and the reviewer saw the same sentence twice on two cards.
The word mark is the right that covers text, so the text signals stay there and say that the
word is also the logo's word element; the logo keeps only what its picture proves.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from model import AssetKind

if TYPE_CHECKING:
    from collections.abc import Mapping

    from model import Asset, Signal

# Signals that exist because a mark's text was found (the word-mark match and what reads it).
TEXT_SIGNALS = frozenset({"word_mark", "class_mismatch", "mark_context"})

Span = tuple[str, str, int, int]


def _spans(signal: Signal) -> set[Span]:
    matches = signal.evidence.get("matches") or [signal.evidence]
    return {
        (
            str(m.get("field", "")),
            str(m.get("image_sha256", "")),
            int(m.get("start", -1)),
            int(m.get("end", -1)),
        )
        for m in matches
    }


def _word_mark_signal(signals: list[Signal]) -> Signal | None:
    return next((s for s in signals if s.kind == "word_mark"), None)


def _logo_reference(logo: Asset) -> dict[str, Any]:
    return {
        "asset_id": logo.id,
        "name": logo.name,
        "registration_number": logo.registration_number,
    }


def _with_logo(signal: Signal, logo: Asset) -> Signal:
    reg = f" ({logo.registration_number})" if logo.registration_number else ""
    evidence = dict(signal.evidence)
    evidence["logo_word_element_of"] = [
        *evidence.get("logo_word_element_of", []),
        _logo_reference(logo),
    ]
    detail = (
        f"{signal.detail} The same text is the word element of the owner's registered logo "
        f"“{logo.name}”{reg}."
    )
    return replace(signal, detail=detail, evidence=evidence)


def fold_logo_text(
    signals_by_asset: Mapping[str, list[Signal]], assets: Mapping[str, Asset]
) -> dict[str, list[Signal]]:
    """Signals per asset id, with each logo's text signals moved onto the owner's word mark
    when that word mark matched every span the logo's word element matched."""
    out = {asset_id: list(signals) for asset_id, signals in signals_by_asset.items()}
    word_marks = [
        asset_id for asset_id in sorted(out) if assets[asset_id].kind is AssetKind.WORD_MARK
    ]
    for logo_id in sorted(out):
        logo = assets[logo_id]
        if logo.kind is not AssetKind.FIGURATIVE_MARK:
            continue
        logo_text = _word_mark_signal(out[logo_id])
        if logo_text is None:
            continue
        wanted = _spans(logo_text)
        for word_id in word_marks:
            word = assets[word_id]
            word_text = _word_mark_signal(out[word_id])
            if word.owner != logo.owner or word_text is None:
                continue
            if wanted <= _spans(word_text):
                out[word_id] = [_with_logo(s, logo) if s is word_text else s for s in out[word_id]]
                out[logo_id] = [s for s in out[logo_id] if s.kind not in TEXT_SIGNALS]
                break
    return out
