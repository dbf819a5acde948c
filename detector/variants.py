"""Mistyped marks the bigram index cannot reach: held-down letters and edits of short marks.

- Repeated letters: "DROVVVIK" is DROVIK with a key held down; two extra letters put it past
  the OSA cutoff of a six-letter mark, yet every letter is the mark's, in order. A word whose
  runs of letters are the mark's runs, each as long or longer, reads as the mark.
- Short marks (``short_mark_length`` letters or fewer) are otherwise matched only as written,
  since one edit to four letters makes many words. A whole word that is the mark with one
  letter slipped *inside* it ("Voqxa", "Ryov"; not "Voxas", a plural) is a disguise when it
  is no word, no other brand and no other registered mark. A dropped letter is not taken:
  three letters are an abbreviation as often as a mark.

- Sound-alikes: a long mark respelt the way it sounds ("Verteks" for VERTEX, "Doogi" for
  DOOGEE, "Meizoo" for MEIZU), one English spelling of a sound for another, anywhere but the
  first letter. Nobody writes a brand that way by accident.

A mark with its end cut off ("Panason", "Motoro") is not read here: a dropped last letter is
the fuzzy matcher's, and two or more leave a stem that is as often another firm's name or a
model line ("Veltra" for VELTRANO) as a disguise.

All read single words only (a token with real word boundaries on each side), and the text
matcher drops a word that is an everyday word, a name, another brand or a registered mark.
"""

from __future__ import annotations

import string
from collections import defaultdict
from itertools import groupby
from typing import TYPE_CHECKING

from detector.normalize import plain_reading

if TYPE_CHECKING:
    from collections.abc import Iterator

    from detector.mark_match import MarkForm

REPEATED_SCORE = 0.9  # every letter of the mark, in order: near-certain, not identical
SOUND_ALIKE_SCORE = 0.85  # the mark's sound in other letters
MIN_SOUND_MARK = 5  # letters a mark needs before its respellings read as it
# One English spelling of a sound for another, as sellers respell brands ("Kalvin", "Nyke").
SOUND_SPELLINGS = (
    ("x", "ks"),
    ("ks", "x"),
    ("ck", "k"),
    ("c", "k"),
    ("k", "c"),
    ("ph", "f"),
    ("f", "ph"),
    ("ee", "i"),
    ("ee", "ea"),
    ("ea", "ee"),
    ("i", "ee"),
    ("oo", "u"),
    ("u", "oo"),
    ("y", "i"),
    ("i", "y"),
    ("s", "z"),
    ("z", "s"),
    ("qu", "kw"),
    ("ou", "u"),
)


def runs(text: str) -> tuple[tuple[str, int], ...]:
    """Runs of one letter as (letter, length): "drovvvik" -> (d,1) (r,1) (o,1) (v,3) ..."""
    return tuple((ch, len(list(group))) for ch, group in groupby(text))


def held_letters(word: str, mark: str) -> bool:
    """``word`` is ``mark`` with one or more of its letters repeated, and nothing else."""
    a, b = runs(word), runs(mark)
    if len(a) != len(b) or word == mark:
        return False
    return all(x == y and n >= m for (x, n), (y, m) in zip(a, b, strict=True))


def inner_slips(mark: str) -> Iterator[str]:
    """One letter inserted inside ``mark``, or two neighbours after the first swapped.

    The first letter stays (buyers search for the brand by its start) and nothing is added
    after the last (an added end letter is most often a plural: "Voxas").
    """
    for i in range(1, len(mark)):
        for ch in string.ascii_lowercase:
            yield mark[:i] + ch + mark[i:]
    for i in range(1, len(mark) - 1):
        if mark[i] != mark[i + 1]:
            yield mark[:i] + mark[i + 1] + mark[i] + mark[i + 2 :]


def sound_alikes(mark: str) -> Iterator[str]:
    """``mark`` (folded letters) with one spelling of a sound replaced, the first letter kept."""
    for old, new in SOUND_SPELLINGS:
        start = mark.find(old, 1)
        while start != -1:
            yield mark[:start] + new + mark[start + len(old) :]
            start = mark.find(old, start + 1)


class SlipIndex:
    """Squeezed keys of every Latin mark, the one-slip variants of the short ones, and the
    sound-alikes of the long ones."""

    def __init__(self) -> None:
        self._squeezed: dict[str, list[MarkForm]] = defaultdict(list)
        self._slips: dict[str, list[MarkForm]] = defaultdict(list)
        # Respellings by their plain reading, the form ``find`` is asked a word in.
        self._respelt: dict[str, list[MarkForm]] = defaultdict(list)

    def add(self, form: MarkForm, short: bool) -> None:
        key = form.skeleton
        if not key.isascii() or not key.isalpha():
            return
        self._squeezed["".join(ch for ch, _ in runs(key))].append(form)
        if short and len(key) >= 3:
            for variant in inner_slips(key):
                if variant != key:
                    self._slips[variant].append(form)
        mark = form.folded
        if short or len(mark) < MIN_SOUND_MARK or not (mark.isascii() and mark.isalpha()):
            return
        own = plain_reading(mark)
        for read in {plain_reading(variant) for variant in sound_alikes(mark)} - {own}:
            self._respelt[read].append(form)

    def __bool__(self) -> bool:
        return bool(self._squeezed)

    def find(self, word: str) -> Iterator[tuple[MarkForm, float]]:
        """Forms ``word`` (one folded word, letters only) is a slip of, with a similarity."""
        for form in self._squeezed.get("".join(ch for ch, _ in runs(word)), ()):
            if held_letters(word, form.skeleton):
                yield form, REPEATED_SCORE
        for form in self._slips.get(word, ()):
            yield form, 1.0 - 1.0 / max(len(word), len(form.skeleton))
        for form in self._respelt.get(word, ()):
            yield form, SOUND_ALIKE_SCORE
