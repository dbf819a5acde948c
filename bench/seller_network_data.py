"""Generated sellers with known operators: the ground truth for seller-network linking.

Each operator runs 1 to 5 seller accounts on several marketplaces. Its accounts show some of
the operator's identifiers (e-mail, phone, WeChat, Telegram, WhatsApp, registration number,
product photos re-encoded a few bits apart, the same store name written differently), chained
so that every account shares at least one with the one before: the operator's accounts form one
network. Traps that must not link operators: a marketplace's support e-mail and a placeholder
phone shown by many unrelated accounts, a "no image" picture on many pages, and (optionally)
ordinary store names that unrelated operators happen to share.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from enforcement.networks import SellerFacts
from model.sellers import normalise_contacts

MARKETPLACES = ("amazon", "ebay", "aliexpress", "taobao", "jd")
SUPPORT_EMAIL = "support@market.example"
PLACEHOLDER_PHONE = "+1 000 000 0000"
NO_IMAGE = 0x0F0F0F0F0F0F0F0F
_KINDS = ("email", "phone", "wechat", "telegram", "whatsapp", "business_reg", "photo", "name")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class Generated:
    sellers: list[SellerFacts]
    operator: dict[str, int]  # seller key -> the operator behind it (the truth)


def _operator_ids(rng: random.Random, n: int) -> dict[str, object]:
    return {
        "email": f"op{n}.{rng.randrange(10**6)}@mail{n % 97}.example",
        "phone": f"+86 138 {n:08d}"[:20],
        "wechat": f"wx{n:07d}shop",
        "telegram": f"tg_op{n:06d}",
        "whatsapp": f"https://wa.me/44{n:09d}",
        "business_reg": "91" + f"{n:06d}" + "".join(rng.choice(_USCC_CHARS) for _ in range(10)),
        "photo": rng.getrandbits(64),
        "name": f"Lucky{n}Trading",
    }


def _flip(rng: random.Random, value: int, bits: int) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


def generate(
    sellers: int, seed: int = 7, copy_bits: int = 2, name_collisions: float = 0.0
) -> Generated:
    """``sellers`` accounts of operators with 1-5 accounts each (most have one); a shared photo
    is the operator's original with up to ``copy_bits`` bits flipped per copy, so two copies
    can differ by twice that (and are then missed at a smaller linking distance). A share
    ``name_collisions`` of accounts take a store name from a pool of ordinary names, so a few
    unrelated operators happen to share one: the hard negative that costs precision."""
    pool = max(1, int(sellers * name_collisions / 2))
    rng = random.Random(seed)
    out: list[SellerFacts] = []
    truth: dict[str, int] = {}
    n = 0
    while len(out) < sellers:
        size = min(rng.choice((1, 1, 1, 1, 2, 2, 3, 4, 5)), sellers - len(out))
        ids = _operator_ids(rng, n)
        previous: set[str] = set()
        for i in range(size):
            shown = set(rng.sample(_KINDS, rng.randint(1, 3)))
            if previous and not shown & previous:
                shown.add(rng.choice(sorted(previous)))
            previous = shown
            raw = {k: str(ids[k]) for k in shown if k not in ("photo", "name")}
            if rng.random() < 0.3:
                raw.setdefault("email", SUPPORT_EMAIL)
            if rng.random() < 0.1:
                raw.setdefault("phone", PLACEHOLDER_PHONE)
            phashes = {rng.getrandbits(64)}  # a photo of its own
            if "photo" in shown:
                phashes.add(_flip(rng, int(str(ids["photo"])), rng.randint(0, copy_bits)))
            if rng.random() < 0.05:
                phashes.add(NO_IMAGE)
            name = (
                rng.choice(
                    (str(ids["name"]), f"{ids['name']} Official Store", f"{ids['name']}-shop")
                )
                if "name" in shown
                else f"shop {n}-{i} {rng.randrange(10**9)}"
            )
            if "name" not in shown and rng.random() < name_collisions:
                name = f"Happy Home {rng.randrange(pool)}"
            key = f"S-{n:07d}-{i}"
            out.append(
                SellerFacts(
                    key=key,
                    marketplace=rng.choice(MARKETPLACES),
                    name=name,
                    contacts=normalise_contacts(raw),
                    phashes=frozenset(phashes),
                )
            )
            truth[key] = n
        n += 1
    return Generated(out, truth)
