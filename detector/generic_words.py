"""Common words that a fuzzy mark match must never be (they are words, not misspelt marks).

A small v1 list of everyday English and shop vocabulary; an exact mark match is still
reported even when the mark itself is a word. The list also keeps the pinyin of a Chinese
mark from matching when that pinyin is an English word (李宁 reads "lining").
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from detector.normalize import fold, is_cjk

_WORD = re.compile(r"[^\W_]+")

_WORDS = """
    a about above accessories adapter adult after again air all also am an and any apple
    are aroma art as at auto baby back bag bags ball band base basic battery be beauty bed
    belt best big bike black blue board body book boot boots both bottle box boys brand
    brush but buy by cable camera can candle cap car care case casual chair charger cheap
    child children classic clean clear clock cloth clothes coat cold collar color colour
    comfort comfortable cook cool cotton cover cream cup cut dark day deal design desk
    digital dining dog door down dress drink dry duty easy edition electric extra fashion
    fast fit flex flexible floor flower foam for free fresh from front full fun game garden
    gift girls glass gloves gold good green grey guaranteed hair hand happy hard hat have
    health heavy high holder home hot house in indoor is it item jacket jeans kids kit
    kitchen lady lamp large last leather led less life light lightweight like lite little
    long look love low luxury made make man many mat max medium men metal mini mobile model
    moral more most new next night no nova novel novelty now of off office official oil old
    on one only open or orange organic original other out outdoor over pack pair pants paper
    party pet phone pink plastic plus pocket portable power premium price pro product
    professional pure quality rain red replacement ring road room round rubber run running
    safe sale same scarf screen sea seat set sets shirt shoe shoes short size skin slim
    small smart soft solid sport sports spring stand star steel stock storage store style
    summer sun super support sweater table tea the this tool tools top toy toys travel
    true two under unisex up used vintage wall warm was watch water wear white wide wind
    window winter wireless with women wood wooden work world year yellow you young your
    aurora humor lumen lumina lumiere flux nylon novo lux mora
    lining liner to we he she me my us so do go if its our his her per via vs
    """

GENERIC_WORDS: frozenset[str] = frozenset(_WORDS.split())


class WordLists(NamedTuple):
    """The dictionaries' word sets, built once per process on first use (about 0.4 CPU s,
    2 s under load): importing the detector, or running a command or a crawl that scores
    nothing, should not pay for them."""

    dictionary: frozenset[str]
    names: frozenset[str]
    common: frozenset[str]
    everyday: frozenset[str]


@cache
def word_lists() -> WordLists:
    from english_words import get_english_words_set

    # The GNU Collaborative International Dictionary of English (~114k words, from the
    # english-words package): "Bravo" or "Quantity" is a word, not BRAVIO or QUANTIVO misspelt.
    # Words under three letters are left to the list above (the dictionary holds many
    # abbreviations that read like pieces of a spaced-out mark).
    dictionary = frozenset(
        w for w in get_english_words_set(["gcide"], lower=True, alpha=True) if len(w) >= 3
    )
    # Webster's 2nd keeps the case of its entries: the lower-case ones are common words ("puma",
    # "dove"), the capitalised-only ones names ("Nike", "Lenora"); GCIDE capitalises every
    # entry, so a common word is in either dictionary and not a name. The second dictionary
    # also covers words the first lacks ("aditus", "benzo"), which are no more misspelt marks
    # than "Bravo" is.
    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    web2_lower = frozenset(w for w in web2 if len(w) >= 3 and w.islower())
    names = frozenset(w.lower() for w in web2 if w[:1].isupper()) - web2_lower
    common = GENERIC_WORDS | web2_lower | (dictionary - names)
    # What fuzzy matching must never read as a misspelt mark.
    everyday = GENERIC_WORDS | dictionary | common
    return WordLists(dictionary, names, common, everyday)


def everyday_words() -> frozenset[str]:
    """What fuzzy matching must never read as a misspelt mark."""
    return word_lists().everyday


def names() -> frozenset[str]:
    """Names ("Nike", "Lenora"): capitalised-only entries of Webster's 2nd."""
    return word_lists().names


@lru_cache(maxsize=4096)
def is_word_mark_a_word(name: str) -> bool:
    """Whether a registered mark is ordinary language rather than a coined, distinctive name.

    Latin marks: every word of the mark is a common word ("Saffron", "Cloud Maple"; not
    "Lumora", nor a name such as "Nike"). Chinese marks count as words: no Chinese word list
    ships with ipwatch, so a mark like 雷霆 ("thunder") keeps the cautious reading.
    """
    words = [w for w in _WORD.findall(fold(name)) if w]
    if not words:
        return False
    if any(is_cjk(ch) for w in words for ch in w):
        return True
    common = word_lists().common
    return all(w in common for w in words)


def is_everyday(word: str) -> bool:
    """A folded word, or the plural of one ("magpies", "orchids"): language, not a mark."""
    everyday = word_lists().everyday
    if word in everyday:
        return True
    if len(word) < 4 or not word.endswith("s") or word.endswith("ss"):
        return False
    stems = [word[:-1], word[:-2] if word.endswith("es") else ""]
    if word.endswith("ies"):
        stems.append(word[:-3] + "y")
    return any(s in everyday for s in stems if s)
