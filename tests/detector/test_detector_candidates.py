"""Candidate generation: Aho–Corasick and the bigram index agree with brute force, and scale."""

from __future__ import annotations

import random
import string
from collections.abc import Callable

import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from detector.candidates import CompactView, ExactAutomaton, QGramIndex, max_edits
from detector.normalize import fold_text
from detector.settings import DetectionSettings
from detector.text import MAX_DROPPED, MarkIndex
from model import Asset, AssetKind, Listing

SETTINGS = DetectionSettings()
LETTERS = "abcdeiklmnorstuvx"  # a small alphabet, so random keys share many bigrams


def brute_force_similar(
    keys: list[str], query: str, cutoff: float, max_shorter: int
) -> list[tuple[str, float]]:
    """The reference: rapidfuzz over every key, same length and first-letter rule as the index."""
    top = max(len(k) for k in keys)
    spread = max_edits(top, cutoff)
    allowed = [
        k
        for k in keys
        if k[0] == query[0]
        and max(1, len(query) - spread) <= len(k) <= len(query) + max_shorter
        and abs(len(k) - len(query)) <= max_edits(len(k), cutoff)
    ]
    found = process.extract(
        query, allowed, scorer=OSA.normalized_similarity, score_cutoff=cutoff, limit=None
    )
    out = [(k, float(s)) for k, s, _ in found if k != query]
    return sorted(out, key=lambda ks: (-ks[1], ks[0]))


def mutate(rng: random.Random, key: str) -> str:
    """A key with 0-3 random OSA edits: the near misses a count filter must not drop."""
    chars = list(key)
    for _ in range(rng.randint(0, 3)):
        op = rng.choice(("sub", "ins", "del", "swap"))
        k = rng.randrange(len(chars)) if chars else 0
        if op == "sub" and chars:
            chars[k] = rng.choice(LETTERS)
        elif op == "ins":
            chars.insert(k, rng.choice(LETTERS))
        elif op == "del" and len(chars) > 1:
            del chars[k]
        elif op == "swap" and k + 1 < len(chars):
            chars[k], chars[k + 1] = chars[k + 1], chars[k]
    return "".join(chars)


@pytest.mark.parametrize(("seed", "cutoff"), [(1, 0.75), (2, 0.75), (3, 0.6), (4, 0.5), (5, 0.9)])
def test_qgram_index_equals_brute_force(seed: int, cutoff: float) -> None:
    rng = random.Random(seed)
    keys = list(
        dict.fromkeys(
            "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 14))) for _ in range(400)
        )
    )
    index = QGramIndex(keys, cutoff, MAX_DROPPED)
    nonempty = 0
    for _ in range(600):
        query = mutate(rng, rng.choice(keys)) if rng.random() < 0.8 else rng.choice(keys)
        if not query:
            continue
        expected = brute_force_similar(keys, query, cutoff, MAX_DROPPED)
        assert index.similar(query) == expected, query
        nonempty += bool(expected)
    assert nonempty > 50  # the queries really were near misses


def test_count_filter_prunes() -> None:
    rng = random.Random(7)
    keys = ["".join(rng.choice(string.ascii_lowercase) for _ in range(8)) for _ in range(5000)]
    index = QGramIndex(keys, 0.75, MAX_DROPPED)
    for key in keys[:50]:
        index.similar(mutate(rng, key))
    assert index.verified < 50 * 20  # a full scan would verify ~5,000 keys per query


def test_exact_automaton_finds_every_occurrence() -> None:
    rng = random.Random(3)
    keys = list({"".join(rng.choice("abc") for _ in range(rng.randint(1, 4))) for _ in range(30)})
    automaton: ExactAutomaton[str] = ExactAutomaton()
    for key in keys:
        automaton.add(key, key.upper())
    automaton.build()
    text = "".join(rng.choice("abcd") for _ in range(300))
    got = {(a, b, p) for a, b, payloads in automaton.find(text) for p in payloads}
    want = {
        (i, i + len(k), k.upper()) for k in keys for i in range(len(text)) if text.startswith(k, i)
    }
    assert got == want


def test_empty_automaton_finds_nothing() -> None:
    automaton: ExactAutomaton[str] = ExactAutomaton()
    automaton.build()
    assert list(automaton.find("anything")) == []


def test_compact_view_maps_token_bounds() -> None:
    ft = fold_text("N O-Va lurnora")
    view = CompactView(ft)
    assert view.folded == "novalurnora"
    assert view.skeleton == "novalumora"
    assert view.f_start == {0: 0, 1: 1, 2: 2, 4: 3}
    assert view.s_end == {1: 0, 2: 1, 4: 2, 10: 3}


class BruteForceMarks:
    """Stands in for the bigram index inside MarkIndex: rapidfuzz over every mark."""

    def __init__(self, keys: list[str], cutoff: float) -> None:
        self.keys, self.cutoff = keys, cutoff
        self.max_key_len = max(len(k) for k in keys)

    def __len__(self) -> int:
        return len(self.keys)

    def similar(self, query: str) -> list[tuple[str, float]]:
        return brute_force_similar(self.keys, query, self.cutoff, MAX_DROPPED)


def random_marks(rng: random.Random, n: int) -> list[Asset]:
    names = {"".join(rng.choice(LETTERS) for _ in range(rng.randint(5, 10))) for _ in range(n)}
    return [
        Asset(id=f"M{k}", owner="o", kind=AssetKind.WORD_MARK, name=name.upper())
        for k, name in enumerate(sorted(names))
    ]


def disguise(rng: random.Random, name: str) -> str:
    text = mutate(rng, name.lower())
    if rng.random() < 0.3:
        text = " ".join(text)
    if rng.random() < 0.3:
        text = text.replace("o", "0").replace("i", "1")
    return text.capitalize()


def test_mark_index_matches_brute_force_scan(make_listing: Callable[..., Listing]) -> None:
    rng = random.Random(11)
    marks = random_marks(rng, 300)
    index = MarkIndex(marks, SETTINGS)
    brute = MarkIndex(marks, SETTINGS)
    brute._fuzzy = BruteForceMarks(list(brute._by_skel), SETTINGS.fuzzy_min_similarity)  # type: ignore[assignment]
    found = 0
    for _ in range(300):
        words = [disguise(rng, rng.choice(marks).name) for _ in range(rng.randint(1, 3))]
        words += rng.sample(["shoes", "new", "lamp", "men", "size", "42"], 2)
        rng.shuffle(words)
        listing = make_listing(" ".join(words))
        got = index.match(listing)
        assert got == brute.match(listing)
        found += len(got)
    assert found > 200


def misspell(name: str) -> str:
    """One swapped pair of inner letters and a digit: a disguise every mark of 5+ survives."""
    swapped = name[:2] + name[3] + name[2] + name[4:]
    return swapped.replace("O", "0")


def test_work_barely_grows_with_ten_thousand_marks(make_listing: Callable[..., Listing]) -> None:
    rng = random.Random(5)
    small = random_marks(rng, 10)
    large = small + random_marks(random.Random(6), 10_000)
    titles = [f"{misspell(m.name)} running shoes, size 42, free shipping" for m in small]
    verified = []
    for marks in (small, large):
        index = MarkIndex(marks, SETTINGS)
        for title in titles:
            assert index.match(make_listing(title))  # the disguised small mark is found
        verified.append(index._fuzzy.verified)
    # a loop over all marks would verify ~1,000x more; the count filter keeps it to a few x
    assert verified[1] < 40 * max(verified[0], 1) + 40 * len(titles)


def test_hostile_text_work_is_linear(
    novaflex: Asset, lumora: Asset, make_listing: Callable[..., Listing]
) -> None:
    index = MarkIndex([novaflex, lumora, *random_marks(random.Random(8), 2000)], SETTINGS)
    spaced = " ".join(string.ascii_lowercase * 4000)  # "a b c d ..." far past max_text_chars
    blob = "novaflex" * 12_500  # one 100k-character token
    index.match(make_listing(spaced, description=blob, brand="诺" * 100_000))
    tokens = SETTINGS.max_text_chars // 2  # at most one token per two characters in "a b c"
    # a spelt-out run is one piece, so a window grows until it is longer than any mark
    assert index.work.windows <= tokens * index._fuzzy_max_len
    assert index.work.fuzzy_queries <= 26**3 + 26**2 + 26  # cached per distinct window
    assert index._fuzzy.verified <= 100 * index.work.fuzzy_queries
