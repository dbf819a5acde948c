"""Words the text-detection set is written with: products per Nice class, titles, sellers.

Kept apart from the generator so the vocabulary can grow without touching the logic. No
entry may contain a registered mark of ``bench/textset.py`` (its tests check that).
"""

from __future__ import annotations

# Nice class -> (English products, Chinese products) sold under marks of that class.
CLASS_PRODUCTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "3": (("face serum 30ml", "matte lipstick", "moisturizing cream 50g", "eau de parfum 50ml",
           "sunscreen SPF50", "shampoo 400ml"),
          ("精华液", "哑光口红", "保湿面霜", "香水 50ml", "防晒霜", "洗发水")),
    "9": (("wireless earbuds", "bluetooth speaker", "power bank 20000mAh", "smartphone 128GB",
           "USB-C charger 65W", "smart plug 2-pack", "noise cancelling headphones"),
          ("蓝牙耳机", "蓝牙音箱", "充电宝 20000毫安", "智能手机 128G", "快充充电器",
           "降噪耳机")),
    "11": (("LED desk lamp", "ceiling light 24W", "floor lamp, dimmable", "night light for kids",
            "espresso machine"),
           ("护眼台灯", "LED吸顶灯", "落地灯", "小夜灯", "意式咖啡机")),
    "14": (("automatic watch 40mm", "chronograph watch, steel", "silver pendant necklace",
            "hoop earrings", "charm bracelet"),
           ("机械手表", "石英表 男士", "银项链", "耳环", "手链")),
    "16": (("fountain pen", "A5 dotted notebook", "ink cartridges 12 pcs", "gel pen set"),
          ("钢笔", "笔记本 A5", "墨囊 12支", "中性笔套装")),
    "18": (("leather handbag", "crossbody bag", "travel backpack 30L", "bifold wallet",
            "tote bag"),
           ("真皮手提包", "斜挎包", "双肩包", "钱包 短款", "托特包")),
    "20": (("office chair, ergonomic", "oak bookshelf", "standing desk 140cm", "bar stool set"),
           ("人体工学办公椅", "实木书架", "升降桌", "吧台椅")),
    "21": (("nonstick frying pan 28cm", "salad bowl set", "ceramic mug 350ml", "cutting board",
            "milk frother jug"),
           ("不粘锅", "沙拉碗", "陶瓷马克杯", "砧板", "奶泡杯")),
    "22": (("camping tent 4 person", "hammock with straps", "climbing rope 50m"),
           ("露营帐篷 四人", "吊床", "登山绳")),
    "24": (("duvet cover set", "cotton bed sheets, queen", "throw blanket", "pillowcases 2 pcs"),
           ("被套四件套", "纯棉床单", "毛毯", "枕套 一对")),
    "25": (("running shoes", "trail sneakers", "hoodie", "track jacket", "sports socks 3 pairs",
            "winter parka", "leggings"),
           ("跑步鞋", "运动鞋 男款", "连帽卫衣", "运动夹克", "运动袜 三双", "羽绒服")),
    "28": (("yoga mat 6mm", "building blocks set", "plush toy", "football size 5"),
           ("瑜伽垫", "积木玩具", "毛绒玩具", "足球 5号")),
}  # fmt: skip

EN_TEMPLATES = (
    "{m} {p}",
    "{m} {p} - free shipping",
    "New {m} {p}, {a}",
    "{a} {p} by {m}",
    "{m} {p} {a}",
    "2024 {m} {p}",
    "{m} {p} (fast delivery)",
    "Brand new {m} {p}",
)
EN_ATTRS = ("black", "size M", "gift box", "2 colors", "limited stock", "best seller", "grey")
ZH_TEMPLATES = ("{m}{p} {a}", "新款{m}{p}", "{m} {p} 包邮", "{a} {m}{p}", "【{m}】{p} {a}")
ZH_NO_MARK = ("{a}{p}", "{p} {a}", "{a} {p} {b}", "正品{p} {a}", "【{a}】{p}")
ZH_ATTRS = ("包邮", "新款", "热卖", "现货", "黑色", "送礼", "限时折扣")

COUNTERFEIT_EN = (
    "replica {m}",
    "{m} replica",
    "{m} 1:1 mirror quality",
    "AAA {m}",
    "inspired by {m}",
    "{m} dupe",
    "super copy {m}",
    "{m} knockoff",
    "{m} style copy",
    "fake {m}",
)
COUNTERFEIT_ZH = (
    "高仿{m}",
    "{m}复刻版",
    "原单{m}",
    "{m} 1:1",
    "A货{m}",
    "精仿{m}",
    "超A {m}",
    "{m}高仿",
)

# Nice class -> (English, Chinese) accessory titles that name the goods they fit.
COMPAT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "9": (("Case for {m} {p}", "Charging cable fits {m} {p}", "Silicone cover for {m} {p}",
           "Compatible with {m}: {p} carry pouch"),
          ("适用于{m}{p}的保护套", "兼容{m}{p}的充电线", "{m}{p}专用收纳包")),
    "11": (("Spare parts for {m} {p}", "Dust cover for {m} {p}"),
           ("{m}{p}专用防尘罩", "适用{m} {p} 替换配件")),
    "14": (("Display stand for {m} {p}", "Gift box for {m} {p}"),
           ("{m}{p}收纳盒", "适用于{m}{p}的收纳盒")),
    "18": (("Organizer insert for {m} {p}", "Rain cover for {m} {p}"),
           ("{m}{p}内胆包", "适用{m}{p}的防雨罩")),
    "21": (("Storage rack for {m} {p}", "Replacement parts for {m} {p}"),
           ("{m}{p}收纳架", "适用于{m}{p}的配件")),
}  # fmt: skip

RESALE_EN = (
    "Pre-owned {m} {p}, good condition",
    "Used {m} {p}, in working order",
    "Second-hand {m} {p} with box",
    "{m} {p} - pre-loved, like new",
)
RESALE_ZH = ("二手{m}{p} 95新", "闲置{m}{p} 只用过一次", "{m}{p} 二手 九成新")

SELLERS_EN = (
    "Cheap Deals 4U",
    "BestPrice Outlet",
    "top_trend_store",
    "Mega Bargain Hub",
    "luxe-for-less",
    "Global Goods Direct",
    "Sunny Day Shop",
    "happyhome_88",
    "Urban Finds",
    "QuickShip Traders",
)
SELLERS_ZH = ("潮流精品店", "优品折扣店", "小李的店", "好货批发", "阳光百货", "源头工厂店")

UNRELATED_EN = (
    "Stainless steel water bottle 750ml",
    "Organic green tea, 100 bags",
    "Kids watercolor paint set, 24 colors",
    "Garden hose reel with wheels",
    "Dog leash, reflective, 1.5m",
    "Cotton tote bag, plain",
    "USB flash drive 64GB",
    "Silicone baking mats, 2 pcs",
    "Bamboo toothbrush set of 4",
    "Car phone holder, magnetic",
    "Wall clock, silent, 30cm",
    "Mens leather belt, brown",
    "Resistance bands set",
    "Ceramic plant pot with saucer",
    "Shower curtain, waterproof",
    "Wooden chess set, folding",
    "LED strip lights 5m",
    "Laptop stand, aluminium",
    "Running shoes, breathable mesh, size 42",
    "Electric kettle 1.7L",
)
UNRELATED_ZH = (
    "不锈钢保温杯 500毫升",
    "有机绿茶 100包",
    "儿童水彩笔 24色",
    "宠物牵引绳 反光",
    "纯棉帆布袋",
    "U盘 64G 高速",
    "竹炭牙刷 四支装",
    "车载手机支架 磁吸",
    "静音挂钟",
    "男士真皮腰带",
    "陶瓷花盆 带托盘",
    "防水浴帘",
    "实木象棋 折叠棋盘",
    "电热水壶 1.7升",
    "运动鞋 透气 男款",
    "护眼台灯 LED",
)
