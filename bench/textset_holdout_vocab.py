"""Marks, goods and wording of the hold-out text set, written apart from ``textset_vocab``.

Nothing here is shared with the first set: other invented marks (some a letter away from a
famous brand or from each other, some plain English words), other goods, and titles full of
the modifiers that trip a goods reader (colours named after things, materials, what an
accessory fits). The marks are fictional; the famous brands are only *named* in negatives.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HoldoutMark:
    """A fictional registered word mark; ``word``: the mark is an ordinary English word."""

    id: str
    owner: str
    name: str
    classes: tuple[str, ...]
    floor: str
    word: bool = False
    near_brands: tuple[str, ...] = ()  # famous brands a letter or two away, named plainly


def _hm(id_: str, owner: str, name: str, classes: str, floor: str, **kw: object) -> HoldoutMark:
    return HoldoutMark(id_, owner, name, tuple(classes.split()), floor, **kw)  # type: ignore[arg-type]


MARKS: tuple[HoldoutMark, ...] = (
    _hm("zeltrix", "Zeltrix Audio AB", "Zeltrix", "9", "60"),
    _hm("zeltrax", "Zeltrax Motion Inc", "ZELTRAX", "12", "400"),
    _hm("kavori", "Kavori Beauty SAS", "KAVORI", "3", "35"),
    _hm("brenzo", "Brenzo Apparel Srl", "Brenzo", "25", "70"),
    _hm("lenova", "Lenova Kitchen GmbH", "LENOVA", "21", "30", near_brands=("Lenovo",)),
    _hm("casiro", "Casiro Time SA", "CASIRO", "14", "150", near_brands=("Casio",)),
    _hm("vantiq", "Vantiq Leather Ltd", "VANTIQ", "18", "90"),
    _hm("nexqo", "Nexqo Devices Oy", "NEXQO", "9", "80"),
    _hm("tulvia", "Tulvia Home BV", "Tulvia", "21", "25"),
    _hm("grivane", "Grivane Sports SL", "GRIVANE", "28", "45"),
    _hm("drovik", "Drovik Tools AS", "DROVIK", "8", "40", near_brands=("Dremel",)),
    _hm("solvaro", "Solvaro Light Srl", "SOLVARO", "11", "55"),
    _hm("fenwix", "Fenwix Interiors Ltd", "FENWIX", "20", "120"),
    _hm("pexora", "Pexora Labs Ltd", "PEXORA", "3 5", "20"),
    _hm("samsong", "Samsong Audio Co", "SAMSONG", "9", "50", near_brands=("Samsung",)),
    _hm("adidus", "Adidus Footwear LLC", "ADIDUS", "25", "60", near_brands=("Adidas",)),
    _hm("voxa", "Voxa Sound Ltd", "VOXA", "9", "40"),
    _hm("ryvo", "Ryvo Outdoor AB", "RYVO", "28", "30"),
    _hm("harbor", "Harbor Electronics Inc", "HARBOR", "9", "50", word=True),
    _hm("falcon", "Falcon Cycles Ltd", "FALCON", "12", "300", word=True),
    _hm("juniper", "Juniper Skin Co", "JUNIPER", "3", "25", word=True),
)
MARK_BY_ID = {m.id: m for m in MARKS}

# Goods per Nice class, in the words sellers use (not the ones of the first set).
GOODS: dict[str, tuple[str, ...]] = {
    "3": ("serum", "face cream", "lip tint", "body lotion", "perfume 50ml", "eyeliner pen"),
    "5": ("vitamin gummies", "plasters 40 pcs", "pain relief gel"),
    "8": ("screwdriver set", "multitool", "pliers", "kitchen knife", "socket wrench"),
    "9": (
        "earbuds",
        "bluetooth speaker",
        "power bank",
        "usb-c charger",
        "smartwatch",
        "headphones",
        "webcam",
    ),
    "11": ("desk lamp", "led strip", "ceiling light", "camping lantern", "night light"),
    "12": ("e-bike", "electric scooter", "bicycle", "car seat cover", "bike saddle"),
    "14": ("wristwatch", "chronograph", "bracelet", "necklace", "diver watch"),
    "18": ("backpack", "wallet", "tote bag", "briefcase", "suitcase", "belt bag"),
    "20": ("office chair", "bookshelf", "bedside table", "mirror cabinet", "pillow"),
    "21": (
        "frying pan",
        "water bottle",
        "coffee mug",
        "lunch box",
        "cutting board",
        "mixing bowl",
    ),
    "25": ("hoodie", "running shoes", "sneakers", "t-shirt", "jacket", "socks 3 pairs"),
    "28": ("yoga mat", "football", "kids scooter", "dumbbells", "tennis racket", "puzzle"),
}

# Colour and finish names that contain goods words ("piano", "coffee", "cherry") or sound
# like materials; a goods reader must not take them for the goods.
COLOURS = (
    "Piano Black",
    "Rose Gold",
    "Midnight Blue",
    "Space Grey",
    "Coffee Brown",
    "Champagne Gold",
    "Ocean Blue",
    "Matte Black",
    "Pearl White",
    "Forest Green",
    "Wine Red",
    "Cherry Red",
    "Lemon Yellow",
    "Mint Green",
    "Salmon Pink",
    "Olive Green",
    "Chocolate Brown",
    "Stainless Steel",
    "Genuine Leather",
    "Walnut Wood",
    "Brushed Aluminium",
    "Sand Beige",
    "Charcoal",
    "Ivory White",
)

TITLES = (
    "{m} {p} - {c}",
    "New {m} {p}, {c}, fast shipping",
    "{p} by {m} | {c} | gift box",
    "[{m}] {c} {p} 2025 model",
    "{c} {p} {m} with original packaging",
    "{m} - {p} ({c}) free returns",
    "Hot sale {m} {p} {c} limited stock",
    "{p} {c} - {m} official design",
)
COMPAT_TITLES = (
    "Replacement strap for {m} {p}, {c}",
    "Screen protector compatible with {m} {p}",
    "Charger cable fits {m} {p} - {c}",
    "Protective case for {m} {p} ({c})",
    "Spare parts for {m} {p}, 2 pcs",
)
EVERYDAY_TITLES = (
    "{w} pattern {p}, {c}",
    "Vintage {w} print {p} - {c}",
    "{c} {p} with {w} motif",
)
# Goods from classes none of the dictionary-word marks is registered for, for their everyday
# sense ("Falcon feather earrings" is not a bicycle).
OTHER_GOODS = ("earrings", "poster", "canvas print", "mug", "throw pillow", "tea towel")
SELLERS = (
    "TopDeal Express",
    "megastore_88",
    "Bright Goods Trading",
    "happy-buyer-shop",
    "Outlet Corner",
    "worldwide_bargains",
)
