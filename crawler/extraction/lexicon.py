"""The page vocabulary extraction reads (stock phrases, buy buttons, identifier labels), loaded
once from ``config/lexicons/extraction.yaml`` so that a language is added by editing data."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

import config

BUNDLED = Path(config.__file__).resolve().parent / "lexicons" / "extraction.yaml"
# Whole-word phrases: no letter or digit may touch either end (CJK, Thai, Lao, Khmer and Burmese
# phrases are exempt, since those scripts do not separate words: 'สินค้าหมดแล้ว').
_CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f]"
)

PerLanguage = dict[str, list[str]]
_SENTENCE_ENDS = (".", "!", "?", ";", "·", "|", "\n")
SOLD_ITEM = "sold-item"  # the SoldOut group naming a one-off item sold to a buyer
WITHOUT_WORDS = 3  # 'без Яндекс Пэй': 'without' a word or two before the condition it negates


class StockState(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: str
    phrases: PerLanguage


class Buttons(BaseModel):
    model_config = ConfigDict(extra="forbid")
    buy: PerLanguage
    notify: PerLanguage
    buy_alone: PerLanguage = {}
    contact: PerLanguage = {}


class ExtractionLexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    availability: list[StockState]
    buttons: Buttons
    sku_labels: PerLanguage
    manufacturer_words: list[str]
    sku_params: list[str]
    list_price_words: PerLanguage
    conditional_price_words: PerLanguage
    without_words: PerLanguage = {}
    price_disclaimers: PerLanguage = {}
    instalment_words: PerLanguage = {}
    lowest_price_words: PerLanguage = {}
    rail_headings: PerLanguage = {}
    sale_price_words: PerLanguage = {}
    price_label_words: PerLanguage = {}
    from_price_words: PerLanguage = {}
    from_price_after_words: PerLanguage = {}
    online_stock_labels: PerLanguage = {}
    store_only_phrases: PerLanguage = {}
    store_places: PerLanguage = {}
    store_reserve_words: PerLanguage = {}
    store_pickup_words: PerLanguage = {}


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """One case-blind regex finding any phrase as a whole word (CJK phrases anywhere); a lone
    ``#`` in a phrase stands for a number ("only # left"), printed with or without spaces around
    it in CJK phrases ('仅剩 # 件' reads '仅剩2件')."""
    parts = []
    for phrase in sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True):
        gap = r"\s*" if _CJK.search(phrase) else r"\s+"
        body = gap.join(r"\d+" if w == "#" else re.escape(w) for w in phrase.split())
        parts.append(body if _CJK.search(phrase) else rf"(?<![\w]){body}(?![\w])")
    return re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE)


def _all(per_language: PerLanguage) -> list[str]:
    return [phrase for phrases in per_language.values() for phrase in phrases]


class ExtractionLexicon:
    """Compiled patterns over the lexicon file's phrases."""

    def __init__(self, spec: ExtractionLexiconFile) -> None:
        self.stock = [(s.state, phrase_pattern(_all(s.phrases))) for s in spec.availability]
        self.buy = phrase_pattern(_all(spec.buttons.buy))
        # 'Agregar', 'Add': a buy button only as its whole caption ('Agregar a favoritos' is not)
        alone = "|".join(re.escape(w.lower()) for w in _all(spec.buttons.buy_alone))
        self.buy_alone = re.compile(rf"^\s*(?:{alone or '(?!x)x'})[\s+!.]*$", re.IGNORECASE)
        self.notify = phrase_pattern(_all(spec.buttons.notify))
        self.contact = phrase_pattern(_all(spec.buttons.contact))
        # 'This item has been sold': the SoldOut phrases listed under 'sold-item' (stock_sold.py)
        self.sold_item = phrase_pattern(
            [
                p
                for s in spec.availability
                if s.state == "SoldOut"
                for p in s.phrases.get(SOLD_ITEM, [])
            ]
        )
        self.not_buyable = phrase_pattern(
            _all(spec.buttons.notify)
            + [p for s in spec.availability if s.state in ("SoldOut", "OutOfStock")
               for p in _all(s.phrases)]
        )  # fmt: skip
        labels = sorted({p.lower() for p in _all(spec.sku_labels)}, key=len, reverse=True)
        # "bol artikelnummer:", "Shop-Art.-Nr.", "商品编号：" then the value; one shop word may
        # lead ('Shopname® SKU:'), a manufacturer word may not.
        alternatives = "|".join(re.escape(label) for label in labels)
        makers = "|".join(re.escape(w.lower()) for w in spec.manufacturer_words)
        self.sku_label = re.compile(
            rf"^(?:(?!(?:{makers})(?![^\W\d_]))[\w.!]+(?:\s?[®™])?[\s-]+)?(?:{alternatives})"
            rf"(?![^\W\d_])\s*[:：#]?\s*",
            re.IGNORECASE,
        )
        self.sku_params = tuple(p.lower() for p in spec.sku_params)
        self.list_price = re.compile(
            rf"^\s*(?:{phrase_pattern(_all(spec.list_price_words)).pattern})", re.IGNORECASE
        )
        self.sale_price = re.compile(
            rf"^\s*(?:{phrase_pattern(_all(spec.sale_price_words)).pattern})", re.IGNORECASE
        )
        # 'Price: ₹189': the plain word for price before a colon names no kind of price
        label = phrase_pattern(_all(spec.price_label_words)).pattern
        self.price_label = re.compile(rf"^\s*(?:{label})\s*[:：]", re.IGNORECASE)
        self.conditional_price = phrase_pattern(_all(spec.conditional_price_words))
        self.without = phrase_pattern(_all(spec.without_words))
        # 'Price in cart may vary': a note hedging the price, naming no buyer it is for
        self.disclaimer = phrase_pattern(_all(spec.price_disclaimers))
        # '4 interest-free payments of <b>$9.50</b>': words right before an instalment's amount
        instalment = phrase_pattern(_all(spec.instalment_words)).pattern
        self.instalment = re.compile(rf"(?:{instalment})\s*$", re.IGNORECASE)
        self.lowest_price = phrase_pattern(_all(spec.lowest_price_words))
        self.rail_heading = phrase_pattern(_all(spec.rail_headings))
        # 'Webblager', 'Online': a stock list's line for what a buyer can order, as a whole label
        online = phrase_pattern(_all(spec.online_stock_labels)).pattern
        self.online_label = re.compile(rf"^\s*(?:{online})\s*$", re.IGNORECASE)
        # 'In-store only', 'Im Markt verfügbar': sold in a store, not online (stock_store.py)
        self.store_only = phrase_pattern(_all(spec.store_only_phrases))
        self.store_place = phrase_pattern(_all(spec.store_places))
        self.store_reserve = phrase_pattern(_all(spec.store_reserve_words))
        self.store_pickup = phrase_pattern(_all(spec.store_pickup_words))
        before = phrase_pattern(_all(spec.from_price_words)).pattern
        after = "|".join(re.escape(w.lower()) for w in _all(spec.from_price_after_words))
        self.from_price = re.compile(
            rf"^\s*(?:{before})|(?:{after or '(?!x)x'})\s*$", re.IGNORECASE
        )

    def names_condition(self, text: str) -> bool:
        """Whether ``text`` names a condition on its price ('с Яндекс Пэй', 'with card'), not
        its absence: a condition word a few words after 'without' ('без Яндекс Пэй', 'ohne
        Karte') labels the price everyone pays, and one in a sentence hedging the price for
        everyone ('Price in cart may vary') names no buyer it is for."""
        for match in self.conditional_price.finditer(text):
            words_before = text[: match.start()].split()[-WITHOUT_WORDS:]
            if not self.without.search(" ".join(words_before)) and not self._hedged(text, match):
                return True
        return False

    def _hedged(self, text: str, match: re.Match[str]) -> bool:
        """Whether the sentence holding ``match`` is a disclaimer ('... kann abweichen')."""
        start = max(text.rfind(mark, 0, match.start()) for mark in _SENTENCE_ENDS) + 1
        ends = [i for i in (text.find(mark, match.end()) for mark in _SENTENCE_ENDS) if i >= 0]
        return bool(self.disclaimer.search(text[start : min(ends, default=len(text))]))

    def stock_state(self, text: str) -> str | None:
        """The schema.org availability a stock phrase in ``text`` states, first state first; a
        phrase read inside a longer phrase of another state is that one's word, not its own
        ('sold out' in 'almost sold out', 'hết hàng' in 'sắp hết hàng': few left, not sold out)."""
        found = [
            (state, match.start(), match.end())
            for state, pattern in self.stock
            for match in pattern.finditer(text)
        ]
        for state, start, end in found:
            if not any(
                other != state and low <= start and end <= high and high - low > end - start
                for other, low, high in found
            ):
                return state
        return None


def load(path: Path = BUNDLED) -> ExtractionLexicon:
    """Read and validate a lexicon file; a bad one is named with the field to fix."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ExtractionLexicon(ExtractionLexiconFile.model_validate(raw))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the extraction lexicon ({exc})") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{path}: {where}: {first['msg']}; fix that entry") from exc


@cache
def bundled() -> ExtractionLexicon:
    """The lexicon shipped with ipwatch, loaded once per process."""
    return load()
