"""The demo shop's data: three fictional rights holders, their sellers, and ~45 listings.

Keywords are the hidden search terms sellers attach (brand names included, as on real
marketplaces), so a search for a mark finds copies whose visible title never names it.
Image names refer to ``demomarket.images``: ``<official>.png`` is an official photo,
``<official>--copy-<a|b|c>.jpg`` a copy of it, ``gen-*.jpg`` an unrelated photo, ``hostile-*`` a
hostile file.
"""

from __future__ import annotations

from decimal import Decimal

from demomarket.records import AssetSpec, Item, Kind, Owner, Seller

NF_SELLERS = ("novaflex-official", "NOVAFLEX Official Store")
LU_SELLERS = ("lumora-store", "Lumora Store")
LT_SELLERS = ("leiting-flagship", "雷霆官方旗舰店")

OWNERS: tuple[Owner, ...] = (
    Owner(
        name="Novaflex Athletics GmbH",
        contact="legal@novaflex.example",
        authorized_sellers=NF_SELLERS,
        assets=(
            AssetSpec(
                "novaflex-word", "word_mark", "NOVAFLEX", "EU018000001", "EU", ("18", "25", "28"),
                keywords=("novaflex", "nova flex"), negative_keywords=("novaflex compatible",),
                price_floor=("79.00", "USD"),
            ),
            AssetSpec(
                "novaflex-logo", "figurative_mark", "NOVAFLEX logo", "EU018000002", "EU",
                ("18", "25", "28"), image="novaflex-logo.png",
            ),
            AssetSpec(
                "novaflex-aero-runner-photo", "product_image",
                "NOVAFLEX Aero Runner, official photo",
                price_floor=("99.00", "USD"), image="novaflex-aero-runner.png",
            ),
            AssetSpec(
                "novaflex-storm-jacket-photo", "product_image",
                "NOVAFLEX Storm Shell jacket, official photo",
                price_floor=("119.00", "USD"), image="novaflex-storm-jacket.png",
            ),
            AssetSpec(
                "novaflex-trail-pack-photo", "product_image",
                "NOVAFLEX Trail Pack 25L, official photo",
                price_floor=("79.00", "USD"), image="novaflex-trail-pack.png",
            ),
        ),
    ),
    Owner(
        name="Lumora Light & Beauty S.A.",
        contact="ip@lumora.example",
        authorized_sellers=LU_SELLERS,
        assets=(
            AssetSpec(
                "lumora-word", "word_mark", "Lumora", "EU018000101", "EU", ("3", "11"),
                keywords=("lumora",), price_floor=("45.00", "USD"),
            ),
            AssetSpec(
                "lumora-halo-lamp-photo", "product_image", "Lumora Halo desk lamp, official photo",
                price_floor=("89.00", "USD"), image="lumora-halo-lamp.png",
            ),
            AssetSpec(
                "lumora-glow-serum-photo", "product_image", "Lumora Glow serum, official photo",
                price_floor=("45.00", "USD"), image="lumora-glow-serum.png",
            ),
        ),
    ),
    Owner(
        name="Leiting Electronics Co., Ltd.",
        contact="ipr@leiting.example",
        authorized_sellers=LT_SELLERS,
        assets=(
            AssetSpec(
                "leiting-word", "word_mark", "雷霆", "CN30123456", "CN", ("9",),
                keywords=("雷霆", "leiting"), price_floor=("299.00", "CNY"),
            ),
            AssetSpec(
                "leiting-thunderbuds-photo", "product_image", "雷霆 ThunderBuds 官方产品图",
                price_floor=("399.00", "CNY"), image="leiting-thunderbuds.png",
            ),
            AssetSpec(
                "leiting-powercell-photo", "product_image", "雷霆 PowerCell 官方产品图",
                price_floor=("299.00", "CNY"), image="leiting-powercell.png",
            ),
        ),
    ),
)  # fmt: skip

SELLERS: tuple[Seller, ...] = (
    Seller(NF_SELLERS[0], NF_SELLERS[1], 4.9),
    Seller(LU_SELLERS[0], LU_SELLERS[1], 4.8),
    Seller(LT_SELLERS[0], LT_SELLERS[1], 4.9),
    Seller("bargainhub", "BargainHub Outlet", 3.1),
    Seller("kicksdirect", "KicksDirect99", 2.8),
    Seller("beautydeals", "Beauty Deals 4U", 3.4),
    Seller("sz-youpin", "深圳优品贸易", 3.6),
    Seller("yiwu-pifa", "义乌小商品批发", 3.2),
    Seller("cozyhome", "Cozy Home Goods", 4.6),
    Seller("gadgetworld", "GadgetWorld", 4.1),
    Seller("shuxiang", "书香阁书店", 4.7),
)

NF, NF_LOGO = "novaflex-word", "novaflex-logo"
NF_AERO, NF_STORM, NF_PACK = (
    "novaflex-aero-runner-photo",
    "novaflex-storm-jacket-photo",
    "novaflex-trail-pack-photo",
)
LU, LU_LAMP, LU_SERUM = "lumora-word", "lumora-halo-lamp-photo", "lumora-glow-serum-photo"
LT, LT_BUDS, LT_CELL = "leiting-word", "leiting-thunderbuds-photo", "leiting-powercell-photo"


def _item(
    item_id: str,
    kind: Kind,
    title: str,
    seller: str,
    price: str,
    currency: str,
    images: tuple[str, ...],
    description: str,
    category: str,
    expect: tuple[str, ...] = (),
    keywords: tuple[str, ...] = (),
    **extra: object,
) -> Item:
    return Item(
        id=item_id,
        kind=kind,
        title=title,
        seller_id=seller,
        price=Decimal(price),
        currency=currency,
        images=images,
        description=description,
        category=category,
        expected_asset_ids=expect,
        keywords=keywords,
        **extra,  # type: ignore[arg-type]
    )


GENUINE: tuple[Item, ...] = (
    _item("1001", "genuine", "NOVAFLEX Aero Runner Men's Running Shoe",
          NF_SELLERS[0], "129.00", "USD",
          ("novaflex-aero-runner.png", "novaflex-logo.png"),
          "Responsive foam midsole and knit upper. Official NOVAFLEX store, 2-year warranty.",
          "shoes", brand="NOVAFLEX", keywords=("novaflex", "running shoes")),
    _item("1002", "genuine", "NOVAFLEX Storm Shell Training Jacket", NF_SELLERS[0], "149.00", "USD",
          ("novaflex-storm-jacket.png",), "Waterproof, breathable training shell.", "apparel",
          brand="NOVAFLEX", keywords=("novaflex", "jacket")),
    _item("1003", "genuine", "NOVAFLEX Trail Pack 25L Backpack", NF_SELLERS[0], "99.00", "USD",
          ("novaflex-trail-pack.png",), "25 litre hiking daypack with hydration sleeve.", "bags",
          brand="NOVAFLEX", keywords=("novaflex", "backpack")),
    _item("1004", "genuine", "Lumora Halo LED Desk Lamp", LU_SELLERS[0], "119.00", "USD",
          ("lumora-halo-lamp.png",), "Dimmable ring light desk lamp, warm to cool white.",
          "lighting", brand="Lumora", keywords=("lumora", "lamp"), deal=True),
    _item("1005", "genuine", "Lumora Glow Vitamin C Serum 30 ml", LU_SELLERS[0], "59.00", "USD",
          ("lumora-glow-serum.png",), "Brightening serum with 15% vitamin C.", "cosmetics",
          brand="Lumora", keywords=("lumora", "serum")),
    _item("1006", "genuine", "雷霆 ThunderBuds 真无线蓝牙耳机 官方正品",
          LT_SELLERS[0], "499.00", "CNY",
          ("leiting-thunderbuds.png",), "主动降噪，续航30小时，官方旗舰店正品保障。", "electronics",
          brand="雷霆", keywords=("雷霆", "leiting", "蓝牙耳机", "earbuds")),
    _item("1007", "genuine", "雷霆 PowerCell 20000mAh 快充移动电源", LT_SELLERS[0], "329.00", "CNY",
          ("leiting-powercell.png",), "20000毫安大容量，65W快充，官方正品。", "electronics",
          brand="雷霆", keywords=("雷霆", "leiting", "充电宝", "power bank")),
)  # fmt: skip

INFRINGING: tuple[Item, ...] = (
    _item("1010", "disguised", "NОVAFLЕX Aero Runner running shoes", "kicksdirect", "34.99", "USD",
          ("gen-sneaker.jpg",), "Top quality runner, same as original. Fast shipping.", "shoes",
          (NF,), ("novaflex", "running shoes")),
    _item("1011", "disguised", "N O V A F L E X sport jacket windproof",
          "bargainhub", "29.90", "USD",
          ("gen-jacket.jpg",), "AAA quality windproof jacket, all sizes.", "apparel",
          (NF,), ("novaflex", "jacket")),
    _item("1012", "disguised", "Nova-Flex trail backpack 25L hiking", "bargainhub", "24.00", "USD",
          ("gen-backpack.jpg",), "Hiking backpack, 1:1 design.", "bags", (NF,),
          ("novaflex", "backpack")),
    _item("1013", "disguised", "Novaflexx Aero running sneakers men", "kicksdirect", "39.00", "USD",
          ("gen-sneaker-2.jpg",), "Mirror quality sneakers.", "shoes", (NF,),
          ("novaflex", "sneakers")),
    _item("1014", "disguised", "Novafelx training jacket", "kicksdirect", "27.50", "USD",
          ("gen-jacket-2.jpg",), "Training jacket, original quality.", "apparel", (NF,),
          ("novaflex",)),
    _item("1015", "disguised", "ΝOVAFLEX Runner breathable shoes", "kicksdirect", "31.00", "USD",
          ("novaflex-aero-runner--copy-a.jpg", "gen-sneaker-3.jpg"),
          "Breathable runner, best price.",
          "shoes", (NF, NF_AERO), ("novaflex", "running shoes"), brand="ΝOVAFLEX"),
    _item("1016", "disguised", "NOVA\u200bFLEX Storm jacket rain shell",
          "bargainhub", "31.00", "USD",
          ("gen-jacket-3.jpg",), "Rain shell jacket, unisex.", "apparel", (NF,),
          ("novaflex", "jacket")),
    _item("1017", "disguised", "ＮＯＶＡＦＬＥＸ 跑步鞋 男款 透气", "sz-youpin", "89.00", "CNY",
          ("novaflex-aero-runner--copy-b.jpg",), "同款跑鞋，高品质，包邮。", "shoes",
          (NF, NF_AERO), ("novaflex", "跑步鞋")),
    _item("1018", "disguised", "Lumorа Halo desk lamp LED", "gadgetworld", "19.99", "USD",
          ("lumora-halo-lamp--copy-a.jpg",), "LED desk lamp, replica of the famous design.",
          "lighting", (LU, LU_LAMP), ("lumora", "lamp")),
    _item("1019", "disguised", "L.u.m.o.r.a Glow serum vitamin C", "beautydeals", "9.99", "USD",
          ("gen-bottle.jpg",), "Vitamin C serum, imported.", "cosmetics", (LU,),
          ("lumora", "serum")),
    _item("1020", "disguised", "Lurnora Halo lamp for reading", "gadgetworld", "22.00", "USD",
          ("gen-lamp.jpg",), "Reading lamp with ring light.", "lighting", (LU,),
          ("lumora", "lamp")),
    _item("1021", "disguised", "雷 霆 无线蓝牙耳机 超低价 包邮", "sz-youpin", "59.00", "CNY",
          ("gen-earbuds.jpg",), "超低价蓝牙耳机，高仿品质。", "electronics",
          (LT,), ("雷霆", "蓝牙耳机", "earbuds")),
    _item("1022", "exact_unauthorized", "Lei-ting 雷霆同款 充电宝 20000毫安",
          "yiwu-pifa", "49.00", "CNY",
          ("leiting-powercell--copy-a.jpg",), "同款充电宝，批发价。", "electronics",
          (LT, LT_CELL), ("雷霆", "leiting", "充电宝")),
    _item("1023", "disguised", "LElTING ThunderBuds wireless earbuds",
          "gadgetworld", "12.99", "USD",
          ("gen-earbuds-2.jpg",), "Wireless earbuds with charging case.", "electronics",
          (LT,), ("leiting", "earbuds")),
    _item("1024", "exact_unauthorized", "NOVAFLEX Storm Shell jacket wholesale",
          "bargainhub", "25.00",
          "USD", ("novaflex-storm-jacket--copy-a.jpg",), "Factory direct, wholesale lots welcome.",
          "apparel", (NF, NF_STORM), ("novaflex", "jacket"), brand="NOVAFLEX"),
    _item("1025", "exact_unauthorized", "雷霆 ThunderBuds 蓝牙耳机 原单 尾货",
          "yiwu-pifa", "69.00", "CNY",
          ("leiting-thunderbuds--copy-a.jpg",), "原单尾货，数量有限。", "electronics",
          (LT, LT_BUDS), ("雷霆", "蓝牙耳机"), brand="雷霆"),
    _item("1026", "copied_photo", "Men's breathable running shoes lightweight sneakers",
          "kicksdirect",
          "24.99", "USD", ("novaflex-aero-runner--copy-c.jpg",), "Lightweight and breathable.",
          "shoes", (NF_AERO,), ("novaflex", "running shoes", "sneakers"), deal=True),
    _item("1027", "copied_photo", "Hiking backpack 25L waterproof daypack",
          "bargainhub", "18.50", "USD",
          ("novaflex-trail-pack--copy-a.jpg",), "Waterproof daypack for hiking.", "bags",
          (NF_PACK,), ("novaflex", "backpack")),
    _item("1028", "copied_photo", "Vitamin C face serum brightening 30ml",
          "beautydeals", "7.99", "USD",
          ("lumora-glow-serum--copy-a.jpg",), "Brightening face serum.", "cosmetics",
          (LU_SERUM,), ("lumora", "serum")),
    _item("1029", "copied_photo", "真无线蓝牙耳机 降噪 运动", "sz-youpin", "45.00", "CNY",
          ("leiting-thunderbuds--copy-b.jpg",), "降噪运动耳机，防水防汗。", "electronics",
          (LT_BUDS,), ("雷霆", "蓝牙耳机", "earbuds")),
    _item("1030", "copied_logo", "Sport logo iron-on patches, 10 pcs", "bargainhub", "3.99", "USD",
          ("novaflex-logo--copy-a.jpg",), "Embroidered-look patches for jackets and bags.",
          "apparel",
          (NF_LOGO,), ("novaflex", "patch", "logo")),
)  # fmt: skip

INNOCENT: tuple[Item, ...] = (
    _item("1031", "unrelated", "Ceramic coffee mug 350 ml", "cozyhome", "12.00", "USD",
          ("gen-mug.jpg",), "Dishwasher-safe stoneware mug.", "home", sponsored=True, deal=True),
    _item("1032", "unrelated", "Cotton bath towel set, 4 pieces", "cozyhome", "29.00", "USD",
          ("gen-towel.jpg",), "600 gsm combed cotton.", "home", keywords=("towel",)),
    _item("1033", "unrelated", "USB-C charging cable 2 m braided", "gadgetworld", "8.99", "USD",
          ("gen-cable.jpg",), "60 W braided cable.", "electronics", sponsored=True),
    _item("1034", "unrelated", "陶瓷马克杯 北欧风 350毫升", "yiwu-pifa", "29.00", "CNY",
          ("gen-mug-2.jpg",), "北欧风陶瓷杯，可微波。", "home", keywords=("马克杯",)),
    _item("1035", "hard_negative", "Nova 5 phone case with flex kickstand", "gadgetworld", "9.99",
          "USD", ("gen-phonecase.jpg",), "Slim case for the Nova 5 with a flexible kickstand.",
          "electronics", keywords=("nova", "phone case"), sponsored=True),
    _item("1036", "hard_negative", "Replacement insoles, NOVAFLEX compatible, EU 38-46",
          "kicksdirect",
          "14.99", "USD", ("gen-insole.jpg",),
          "Fits most running shoes. Not affiliated with any brand.",
          "shoes", keywords=("novaflex compatible", "insoles")),
    _item("1037", "hard_negative", "《雷霆之夜》长篇小说 精装版", "shuxiang", "39.00", "CNY",
          ("gen-book.jpg",), "悬疑长篇小说，精装典藏版。", "books", keywords=("雷霆", "小说")),
    _item("1038", "hard_negative", "Lumina arc floor lamp, brushed steel",
          "cozyhome", "79.00", "USD",
          ("gen-floorlamp.jpg",), "Arc floor lamp with marble base.", "lighting",
          keywords=("lamp",)),
    _item("1039", "hostile", "<script>alert(1)</script> Cheap wireless mouse",
          "gadgetworld", "5.99",
          "USD", ("gen-mouse.jpg",), 'Great mouse <img src=x onerror="alert(2)"> </div></body>',
          "electronics", keywords=("mouse",)),
    _item("1040", "hostile", "Giant wall poster, ultra high resolution", "cozyhome", "19.00", "USD",
          ("hostile-huge.png",), "A 9000 x 9000 pixel poster image.", "home", keywords=("poster",)),
    _item("1041", "hostile", "Mystery gift box surprise", "yiwu-pifa", "15.00", "CNY",
          ("hostile-bomb.png", "gen-giftbox.jpg"), "惊喜盲盒。", "toys", keywords=("gift",)),
    _item("1042", "hostile", "Vintage film camera, untested", "gadgetworld", "45.00", "USD",
          ("hostile-corrupt.jpg", "gen-camera.jpg"), "Sold as is.", "electronics",
          keywords=("camera",)),
)  # fmt: skip

DEALS_ONLY: tuple[Item, ...] = (
    _item("1050", "disguised", "Nοvaflex flash sale running shoes", "kicksdirect", "21.00", "USD",
          ("novaflex-aero-runner--copy-b.jpg",), "Flash sale, today only.", "shoes",
          (NF, NF_AERO), searchable=False, deal=True),
    _item("1051", "exact_unauthorized", "Lumora Glow serum, 80% off clearance",
          "beautydeals", "8.00",
          "USD", ("lumora-glow-serum--copy-b.jpg",), "Clearance, limited stock.", "cosmetics",
          (LU, LU_SERUM), searchable=False, deal=True, brand="Lumora"),
    _item("1052", "exact_unauthorized", "雷霆 PowerCell 移动电源 限时秒杀",
          "yiwu-pifa", "39.00", "CNY",
          ("leiting-powercell--copy-b.jpg",), "限时秒杀，先到先得。", "electronics",
          (LT, LT_CELL), searchable=False, deal=True),
    _item("1053", "unrelated", "Bamboo cutting board", "cozyhome", "15.00", "USD",
          ("gen-board.jpg",), "Large bamboo board with juice groove.", "home",
          searchable=False, deal=True),
    _item("1054", "unrelated", "Desk organizer tray", "cozyhome", "11.00", "USD",
          ("gen-tray.jpg",), "Felt desk tray.", "home", searchable=False, deal=True,
          availability="OutOfStock"),
)  # fmt: skip

ITEMS: tuple[Item, ...] = GENUINE + INFRINGING + INNOCENT + DEALS_ONLY
