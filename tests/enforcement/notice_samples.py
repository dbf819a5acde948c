"""A notice's content with hostile listing text in every field a listing fills."""

from __future__ import annotations

from enforcement.content import EvidenceRef, Item, NoticeContent, Notifier, Right, Statements

HOSTILE_TITLE = (
    "=cmd|' /C calc'!A0 <script>alert(1)</script>\n[9] http://forged.example \u202eevil\u202c"
)
HOSTILE_SELLER = '@SUM(1+1)" onmouseover="x'

WORD = Right(
    "acme/word_mark/eu018000001",
    "word_mark",
    "EU trade mark",
    "NOVAFLEX",
    "EU018000001",
    "EU",
    ("25", "28"),
)
PHOTO = Right("acme/product_image/runner", "product_image", "product photograph", "Runner photo")
NOTIFIER = Notifier(
    "Acme Legal", "legal@acme.example", "1 Main St, Springfield", "+1 555 0100", "/Jane Roe/"
)
STATEMENTS = Statements("I state in good faith.", "DMCA good faith.", "DMCA accuracy.")


def item(n: int, right: Right = WORD, **kw: object) -> Item:
    base: dict[str, object] = dict(
        finding_id=f"F-{n:016x}",
        url=f"https://shop.example/item/{n}",
        item_id=f"{100000 + n}",
        title=f"NOVAFLEX runner {n}",
        seller_name="Shady Deals",
        seller_id="s-77",
        right=right,
        signals=("The title contains NOVAFLEX disguised as N0VAFLEX.",),
        signal_kinds=("word_mark",),
        photo_copy=False,
        evidence=(EvidenceRef(f"S-{n:04}", f"{n:02x}" * 32, "2026-12-01T10:00:00Z"),),
    )
    base.update(kw)
    return Item(**base)  # type: ignore[arg-type]


def content(items: tuple[Item, ...] | None = None) -> NoticeContent:
    if items is None:
        items = (
            item(1),
            item(2, title=HOSTILE_TITLE, seller_name=HOSTILE_SELLER, item_id="-2+3", evidence=()),
            item(
                3,
                PHOTO,
                signals=("Photo 1 is a copy of the registered photo (pHash distance 2).",),
                signal_kinds=("image_copy",),
                photo_copy=True,
                url="javascript:alert(1)",
            ),
        )
    return NoticeContent(
        notice_id="N-0123456789abcdef",
        date="2026-12-05",
        marketplace="ebay",
        owner="Acme Sports Ltd",
        notifier=NOTIFIER,
        statements=STATEMENTS,
        items=items,
    )
