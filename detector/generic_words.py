"""Common words that a fuzzy mark match must never be (they are words, not misspelt marks).

A small v1 list of everyday English and shop vocabulary; an exact mark match is still
reported even when the mark itself is a word. The list also keeps the pinyin of a Chinese
mark from matching when that pinyin is an English word (李宁 reads "lining").
"""

from __future__ import annotations

from english_words import get_english_words_set

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

# The GNU Collaborative International Dictionary of English (~114k words, from the
# english-words package): "Bravo" or "Quantity" is a word, not BRAVIO or QUANTIVO misspelt.
# Words under three letters are left to the list above (the dictionary holds many
# abbreviations that read like pieces of a spaced-out mark).
DICTIONARY_WORDS: frozenset[str] = frozenset(
    w for w in get_english_words_set(["gcide"], lower=True, alpha=True) if len(w) >= 3
)

# What fuzzy matching must never read as a misspelt mark.
EVERYDAY_WORDS: frozenset[str] = GENERIC_WORDS | DICTIONARY_WORDS
