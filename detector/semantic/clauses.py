"""Cut patent claims into elements and listings into clauses, the units that get embedded.

A claim is compared element by element (the all-elements rule: a product practises a claim
when it has every element), so each element must stand alone: the preamble ("A beverage
container"), then each clause after the transition ("comprising", 包括, 其特征在于) split at
semicolons and "wherein". Listing text is hostile: it is cut before any regex runs and the
number and length of clauses are capped, so the embedding cost per listing is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CLAIM_CHARS = 5_000  # one claim; longer text is cut (claims run to a few hundred words)
MAX_CLAIMS_PER_ASSET = 20  # independent claims compared per patent
MAX_ELEMENTS_PER_CLAIM = 16
MAX_ELEMENT_CHARS = 300
MAX_LISTING_CHARS = 4_000  # title + description read for semantic matching
MAX_CLAUSES = 48  # listing clauses embedded per listing
MAX_CLAUSE_CHARS = 240
MIN_LATIN_CHARS = 12  # shorter pieces ("and", "a lid") join their neighbour
MIN_CJK_CHARS = 4

PREAMBLE = "preamble"
ELEMENT = "element"
CHARACTERISING = "characterising"  # after "characterised in that" / 其特征在于: the novelty

# "1." / "2、" / "(3)" numbering at the start of a claim or of a line inside a claims block.
_CLAIM_NUMBER = re.compile(r"(?:^|\n)\s*(?:\(?\d{1,3}\s*[.)、．:：]|\d{1,3}\s*\))\s*")
_LEADING_NUMBER = re.compile(r"^\s*\(?\d{1,3}\s*[.)、．:：]\s*")
# A dependent claim refers to an earlier one near its start.
_DEPENDS_EN = re.compile(r"\bclaims?\s+\d", re.IGNORECASE)
_DEPENDS_ZH = re.compile(r"权利要求\s*\d")
_TRANSITION = re.compile(
    r"\b(?:comprising|comprises|consisting\s+(?:essentially\s+)?of|including|which\s+comprises"
    r"|characteri[sz]ed\s+in\s+that|characteri[sz]ed\s+by)\b\s*[:,]?"
    r"|包括|包含|由以下部分组成|其特征在于|其特征是",
    re.IGNORECASE,
)
_CHARACTERISING = re.compile(
    r"characteri[sz]ed\s+(?:in\s+that|by)|其特征在于|其特征是", re.IGNORECASE
)
_ELEMENT_BREAK = re.compile(
    r"[;；]|\n|\bwherein\b|\bwhereby\b|\bcharacteri[sz]ed\s+in\s+that\b|其特征在于|其特征是|其中"
    r"|[。]",
    re.IGNORECASE,
)
_LEADING_JUNK = re.compile(
    r"^(?:[\s,:;，：；。.、]|\band\b|\bor\b|\bfurther\b|\bsaid\b(?=\s+\w+\s+\w)|以及|和|还|并且)+",
    re.IGNORECASE,
)
_TRAILING_JUNK = re.compile(r"(?:[\s,:;，：；。.、]|\band\b|以及)+$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(
    r"[.](?=\s|$)|(?<!\d)[.](?!\d)|[!?。！？;；\n\r•·|【】\[\]]+|\s[-–—]\s"
)
_PHRASE_BREAK = re.compile(r"[,，、]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ClaimElement:
    """One element of one independent claim, as registered (``claim`` counts from 1)."""

    claim: int
    index: int
    role: str
    text: str


def split_claims(claims: tuple[str, ...] | list[str]) -> list[str]:
    """Each registered claim string, further split when one string holds a numbered block."""
    out: list[str] = []
    for block in claims:
        block = block[: MAX_CLAIM_CHARS * MAX_CLAIMS_PER_ASSET]
        parts = [p.strip() for p in _CLAIM_NUMBER.split(block)]
        out.extend(p[:MAX_CLAIM_CHARS] for p in parts if p)
    return out


def is_dependent(claim: str) -> bool:
    """True for "The container of claim 1, wherein ..." / "根据权利要求1所述的..."."""
    head = claim[:120]
    return bool(_DEPENDS_EN.search(head) or _DEPENDS_ZH.search(head))


def independent_claims(claims: tuple[str, ...] | list[str]) -> list[tuple[int, str]]:
    """(claim number, text) of the independent claims; all claims if none looks independent."""
    numbered = list(enumerate(split_claims(claims), start=1))
    chosen = [(n, c) for n, c in numbered if not is_dependent(c)] or numbered
    return chosen[:MAX_CLAIMS_PER_ASSET]


def claim_elements(claim: str, number: int = 1) -> list[ClaimElement]:
    """Preamble plus body elements of one claim, short fragments merged into a neighbour."""
    claim = _LEADING_NUMBER.sub("", _SPACE.sub(" ", claim[:MAX_CLAIM_CHARS]).strip())
    match = _TRANSITION.search(claim)
    preamble, body = (claim[: match.start()], claim[match.end() :]) if match else ("", claim)
    marker = _CHARACTERISING.search(body)
    head, tail = (body[: marker.start()], body[marker.end() :]) if marker else (body, "")
    pieces = [(ELEMENT, p) for p in _merge_short([_clean(p) for p in _ELEMENT_BREAK.split(head)])]
    pieces += [
        (CHARACTERISING, p) for p in _merge_short([_clean(p) for p in _ELEMENT_BREAK.split(tail)])
    ]
    elements: list[ClaimElement] = []
    preamble = _clean(preamble)
    if preamble and _long_enough(preamble, min_latin=3, min_cjk=2):
        elements.append(ClaimElement(number, 0, PREAMBLE, preamble[:MAX_ELEMENT_CHARS]))
    for role, piece in pieces[:MAX_ELEMENTS_PER_CLAIM]:
        elements.append(ClaimElement(number, len(elements), role, piece[:MAX_ELEMENT_CHARS]))
    return elements


def listing_clauses(title: str, description: str = "") -> list[str]:
    """Title, sentences and comma phrases of a listing, deduplicated, bounded in count and size.

    Sentences keep the context of a feature; phrases catch the comma lists marketplace titles
    are made of ("Vacuum Flask, LED Temperature Lid, 500ml").
    """
    text = f"{title[:MAX_LISTING_CHARS]}\n{description[:MAX_LISTING_CHARS]}"[:MAX_LISTING_CHARS]
    seen: set[str] = set()
    out: list[str] = []

    def add(piece: str) -> None:
        piece = _clean(_SPACE.sub(" ", piece))[:MAX_CLAUSE_CHARS]
        key = piece.casefold()
        if piece and key not in seen and _long_enough(piece, min_latin=3, min_cjk=2):
            seen.add(key)
            out.append(piece)

    add(title[:MAX_CLAUSE_CHARS])
    for sentence in _SENTENCE_BREAK.split(text):
        if len(out) >= MAX_CLAUSES:
            break
        add(sentence)
        phrases = [p for p in _PHRASE_BREAK.split(sentence) if p.strip()]
        if len(phrases) > 1:
            for phrase in phrases:
                add(phrase)
    return out[:MAX_CLAUSES]


def design_article(name: str) -> str:
    """The article of manufacture in a design patent's title ("Ornamental design for a lamp")."""
    text = _SPACE.sub(" ", name[:MAX_ELEMENT_CHARS]).strip()
    text = re.sub(
        r"^(?:(?:the\s+)?ornamental\s+design\s+(?:for|of)|design\s+(?:for|of))\s+(?:an?\s+|the\s+)?",
        "",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"(?:的)?外观设计(?:专利)?$|^外观设计(?:专利)?[:：]?\s*", "", text)
    return _clean(text) or name.strip()[:MAX_ELEMENT_CHARS]


def _clean(piece: str) -> str:
    piece = _LEADING_JUNK.sub("", piece.strip())
    return _TRAILING_JUNK.sub("", piece).strip()


def _long_enough(
    piece: str, *, min_latin: int = MIN_LATIN_CHARS, min_cjk: int = MIN_CJK_CHARS
) -> bool:
    cjk = len(_CJK.findall(piece))
    return cjk >= min_cjk if cjk else len(piece) >= min_latin


def _merge_short(pieces: list[str]) -> list[str]:
    """Drop empties; glue a too-short piece onto the one before it (or after, if first)."""
    merged: list[str] = []
    pending = ""
    for piece in pieces:
        if not piece:
            continue
        piece = f"{pending} {piece}".strip() if pending else piece
        pending = ""
        if _long_enough(piece):
            merged.append(piece)
        elif merged:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            pending = piece
    if pending:
        merged.append(pending)
    return merged
