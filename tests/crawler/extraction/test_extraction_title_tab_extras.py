"""With no <h1>, an <h2> naming the product is the title even where the tab title wraps that
name in the shop's bracketed domain and a quoted price ('【kaden.com】… 最安値 ¥59,800')."""

from __future__ import annotations

from crawler.extraction import extract_listing

TAB = "【kaden.com】象印 圧力IH炊飯ジャー 炎舞炊き NW-FB10 最安値 ¥59,800"


def title_of(tab: str, body: str) -> str | None:
    html = f'<html lang="ja"><head><title>{tab}</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://kaden.example.jp/item/K0001/").title


def test_an_h2_the_tab_spells_beside_a_shop_domain_and_a_price_is_the_title() -> None:
    body = "<div><h2>圧力IH炊飯ジャー 炎舞炊き NW-FB10</h2><p>¥59,800</p></div>"
    assert title_of(TAB, body) == "圧力IH炊飯ジャー 炎舞炊き NW-FB10"


def test_an_h2_naming_only_a_small_part_of_the_tab_title_is_not_the_title() -> None:
    body = "<div><h2>炎舞炊き</h2><p>¥59,800</p></div>"
    assert title_of(TAB, body) != "炎舞炊き"


def test_a_bracketed_word_that_is_no_domain_still_counts_as_the_names_own() -> None:
    tab = "[予約販売] 圧力IH炊飯ジャー 炎舞炊き NW-FB10 最安値 ¥59,800"
    body = "<div><h2>NW-FB10</h2><p>¥59,800</p></div>"
    assert title_of(tab, body) != "NW-FB10"
