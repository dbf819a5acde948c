"""The fictional rights holders of the text-detection set and their registry document.

Invented names only: no mark here is meant to be a real trademark. Each Chinese mark has an
English mark of the same owner (``sibling``); ORCHID, SAFFRON and MAGPIE are common words
registered for goods unlike their everyday sense.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Mark:
    """One fictional registered word mark and what its owner sells."""

    id: str
    owner: str
    name: str
    classes: tuple[str, ...]
    floor: tuple[str, str]
    authorized: tuple[str, ...]
    lang: str = "en"
    shown: tuple[str, ...] = ()  # how sellers write it; default: UPPER, Title, as registered
    near_words: tuple[str, ...] = ()  # real titles with words that look like the mark
    everyday_uses: tuple[str, ...] = ()  # the mark's word in its ordinary sense
    negative_keywords: tuple[str, ...] = ()
    sibling: str | None = None  # the same owner's mark in the other script
    cut: int = 0  # where the name splits into readable parts ("NOVA|FLEX"); 0: nowhere
    extra: dict[str, Any] = field(default_factory=dict)


def _m(id_: str, owner: str, name: str, classes: str, floor: str, **kw: Any) -> Mark:
    amount, currency = floor.split()
    official = f"{name.title()} Official Store"
    authorized = kw.pop("authorized", (official, f"{id_}-official"))
    return Mark(id_, owner, name, tuple(classes.split()), (amount, currency), authorized, **kw)


MARKS: tuple[Mark, ...] = (
    _m("novaflex", "Novaflex Sports GmbH", "NOVAFLEX", "25 28", "80 USD", cut=4,
       sibling="novaflex-zh",
       near_words=("Novel flexible garden hose 20m", "Innovative flex fit yoga pants",
                   "Supernova flex poster 60x90", "Casanova perfume 100ml",
                   "Nova lamp with flex cable")),
    _m("novaflex-zh", "Novaflex Sports GmbH", "诺弗莱", "25 28", "399 CNY", lang="zh",
       authorized=("诺弗莱官方旗舰店", "novaflex-cn"), sibling="novaflex",
       near_words=("承诺七天无理由退换 男士运动短裤", "弗莱明同款复古眼镜框", "蓬莱特产 海苔礼盒")),
    _m("lumora", "Lumora Lighting Ltd", "LUMORA", "11", "45 USD", cut=2, sibling="lumora-zh",
       near_words=("Lumina desk lamp, warm white", "Luminous glow paint 100ml",
                   "Aurora borealis night light projector", "Humor book for kids",
                   "Lumo reflective tape 5m")),
    _m("lumora-zh", "Lumora Lighting Ltd", "露梦拉", "11", "199 CNY", lang="zh",
       authorized=("露梦拉官方旗舰店", "lumora-cn"), sibling="lumora",
       near_words=("露营灯 户外帐篷灯 充电款", "梦幻星空投影灯 儿童房", "拉杆箱 20寸 登机箱")),
    _m("veltrano", "Veltrano Moda S.r.l.", "VELTRANO", "18 25", "120 USD", cut=3,
       sibling="veltrano-zh",
       near_words=("Verano summer dress, linen", "Velvet curtains, tan, 2 panels",
                   "Ventana window film frosted")),
    _m("veltrano-zh", "Veltrano Moda S.r.l.", "维朗达", "18 25", "899 CNY", lang="zh",
       authorized=("维朗达官方旗舰店", "veltrano-cn"), sibling="veltrano",
       near_words=("朗读机 儿童英语点读笔", "达人推荐 真皮钱包 男士", "维生素C泡腾片")),
    _m("kivo", "Kivo Audio Inc", "KIVO", "9", "60 USD", sibling="kivo-zh",
       near_words=("Kiwi fruit slicer stainless", "Kiva wooden building blocks",
                   "1 kilo bag of basmati rice", "Kivu coffee beans 500g", "Kiev city map poster")),
    _m("kivo-zh", "Kivo Audio Inc", "凯沃", "9", "299 CNY", lang="zh",
       authorized=("凯沃官方旗舰店", "kivo-cn"), sibling="kivo",
       near_words=("凯旋门 金属拼图模型", "沃土 有机营养土 10升", "凯蒂猫 卡通水杯")),
    _m("miravex", "Miravex Beauty SA", "MIRAVEX", "3", "35 USD", cut=4, sibling="miravex-zh",
       near_words=("Mirage pocket mirror, gold",
                   "Maverick hair pomade 100g", "Mira vanity lights for mirror")),
    _m("miravex-zh", "Miravex Beauty SA", "米拉维斯", "3", "169 CNY", lang="zh",
       authorized=("米拉维斯官方旗舰店", "miravex-cn"), sibling="miravex",
       near_words=("米拉同款发夹 韩版", "维斯塔 复古台历", "拉维斯香薰蜡烛", "米饭勺 不粘")),
    _m("orchid", "Orchid Devices Inc", "ORCHID", "9", "199 USD",
       negative_keywords=("phalaenopsis",),
       everyday_uses=("Phalaenopsis orchid plant in ceramic pot", "Orchid potting bark mix 5L",
                      "Orchid fertilizer spray 250ml", "Orchid print silk scarf",
                      "Orchids potted plants set of 3", "Artificial orchid flowers, white",
                      "Orchid scented soy candle", "Wild orchid hand cream 50ml",
                      "Orchid growing kit for beginners", "兰花 Orchid 盆栽 蝴蝶兰")),
    _m("saffron", "Saffron & Co", "SAFFRON", "3", "25 USD",
       negative_keywords=("saffron threads",),
       everyday_uses=("Pure saffron threads 2g, grade A", "Saffron rice seasoning mix",
                      "Persian saffron 5 grams gift tin", "Saffron yellow linen tablecloth",
                      "Spanish paella kit with saffron", "Saffron crocus bulbs, 20 pcs",
                      "藏红花 Saffron 5克 泡水")),
    _m("magpie", "Magpie Goods Ltd", "MAGPIE", "18", "70 USD", cut=3,
       negative_keywords=("bird feeder",),
       everyday_uses=("Magpie bird feeder for garden", "Magpie wall art print A3",
                      "Cast iron magpie garden ornament", "Magpie embroidered patch iron-on",
                      "Field guide: magpies and crows", "Wooden magpie puzzle for kids",
                      "喜鹊 Magpie 刺绣挂画")),
    _m("briskara", "Briskara Outdoor AB", "BRISKARA", "22 25", "150 USD", cut=4,
       near_words=("Brisk walking shoes, breathable", "Bristol travel bag 40L",
                   "Brisa sea salt spray")),
    _m("zentaro", "Zentaro Watches SA", "ZENTARO", "14", "250 USD", cut=3,
       near_words=("Zen garden sand tray kit", "Centaur bronze figurine",
                   "Tarot card deck with guidebook")),
    _m("korvella", "Korvella Kitchen Oy", "KORVELLA", "21", "40 USD", cut=3,
       near_words=("Corvette model car 1:24", "Novella collection paperback",
                   "Cordelia novel paperback")),
    _m("quantivo", "Quantivo Smart Home BV", "QUANTIVO", "9", "90 USD", cut=5,
       near_words=("Quantum physics for beginners book", "Quantity discount label tags",
                   "Quanto plant pot, matte")),
    _m("zumi", "Zumi Toys Ltd", "ZUMI", "28", "20 USD",
       near_words=("Sumi ink brush set", "Zuni pottery bowl", "Sumo wrestler figurine")),
    _m("qora", "Qora Jewels Ltd", "QORA", "14", "50 USD",
       near_words=("Kora harp strings set", "Coral reef poster",
                   "Flora hair clip set")),
    _m("orlo", "Orlo Furniture AS", "ORLO", "20", "150 USD",
       near_words=("Orzo pasta 500g", "Oslo pine bookshelf", "Orb pendant light")),
    _m("vyx", "Vyx Power Ltd", "VYX", "9", "15 USD",
       near_words=("Lynx figurine resin", "Styx poster")),
    _m("silver-fjord", "Silver Fjord Apparel AS", "SILVER FJORD", "25", "180 USD",
       shown=("SILVER FJORD", "Silver Fjord", "silver fjord"),
       everyday_uses=("Silver fjord landscape canvas print", "Sterling silver ring, fjord blue",
                      "Norway fjord cruise guidebook")),
    _m("cloud-maple", "Cloud Maple Home Ltd", "CLOUD MAPLE", "24", "60 USD",
       shown=("CLOUD MAPLE", "Cloud Maple", "cloud maple"),
       everyday_uses=("Maple syrup 500ml, cloud forest honey", "Cloud shaped maple wood shelf",
                      "Red maple sapling 40cm", "Cloud cotton candy machine")),
    _m("amber-quill", "Amber Quill Stationers", "AMBER QUILL", "16", "30 USD",
       shown=("AMBER QUILL", "Amber Quill", "amber quill"),
       everyday_uses=("Baltic amber necklace", "Feather quill pen with ink set",
                      "Amber glass bottles 100ml, 12 pcs", "Quill embroidery kit")),
    _m("wyndmere", "Wyndmere Footwear Ltd", "WYNDMERE", "25", "110 USD", cut=4,
       near_words=("Windmill garden decoration", "Windermere lake poster",
                   "Wind meter anemometer")),
    _m("dawnridge", "Dawnridge Power Co", "DAWNRIDGE", "9", "50 USD", cut=4,
       near_words=("Dawn sunrise canvas print", "Drawbridge castle toy set",
                   "Dunbridge tweed cap")),
    _m("tornavik", "Tornavik Drones AB", "TORNAVIK", "9", "300 USD", cut=5,
       near_words=("Tornado ceiling fan 52 inch", "Narvik travel mug")),
    _m("helmwood", "Helmwood Furniture Ltd", "HELMWOOD", "20", "200 USD", cut=4,
       near_words=("Hollywood mirror with lights", "Helm wheel wall decor, wood",
                   "Elmwood picture frame 8x10")),
    _m("bravio", "Bravio Coffee Machines SpA", "BRAVIO", "11 21", "150 USD",
       near_words=("Bravo party poppers, 12 pack", "Bravado card game", "Bravery sticker set")),
)  # fmt: skip
MARK_BY_ID = {m.id: m for m in MARKS}


def registry_document() -> dict[str, Any]:
    """The ``ipwatch assets import`` document for every mark, grouped by owner in order."""
    owners: dict[str, list[dict[str, Any]]] = {}
    for i, mark in enumerate(MARKS):
        entry: dict[str, Any] = {
            "id": mark.id,
            "kind": "word_mark",
            "name": mark.name,
            "registration_number": f"{'CN' if mark.lang == 'zh' else 'EU'}-TS-{1000 + i}",
            "jurisdiction": "CN" if mark.lang == "zh" else "EU",
            "classes": list(mark.classes),
            "authorized_sellers": list(mark.authorized),
            "price_floor": {"amount": mark.floor[0], "currency": mark.floor[1]},
            "valid_from": "2020-01-01",
            "valid_until": "2035-12-31",
        }
        if mark.negative_keywords:
            entry["negative_keywords"] = list(mark.negative_keywords)
        owners.setdefault(mark.owner, []).append(entry)
    return {
        "owners": [
            {"name": name, "contact": f"legal@{name.split()[0].lower()}.invalid", "assets": assets}
            for name, assets in owners.items()
        ]
    }
