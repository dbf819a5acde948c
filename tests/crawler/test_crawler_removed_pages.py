"""Which listing pages say the listing was taken down: the built-in phrases (several
languages), a profile's own `listing.removed_text`, and never a page that still sells."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from config.errors import ConfigError
from config.profile import MarketplaceProfile, load_profile
from crawler.spiders.marketplace import MarketplaceSpider


def page(body: str) -> HtmlResponse:
    html = f"<html><body><main>{body}</main></body></html>"
    return HtmlResponse("http://127.0.0.1/item/9", body=html.encode(), encoding="utf-8")


def spider(removed_text: tuple[str, ...] = ()) -> MarketplaceSpider:
    profile = load_profile("demo")
    listing = profile.listing.model_copy(update={"removed_text": removed_text})
    return MarketplaceSpider(profile.model_copy(update={"listing": listing}))


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, this item is no longer available.",
        "很抱歉，您查看的宝贝已下架",
        "该商品已失效",
        "Dieser Artikel ist nicht mehr verfügbar.",
        "Cet article n'est plus disponible.",
    ],
)
def test_built_in_phrases_mark_a_taken_down_page(text: str) -> None:
    assert spider()._says_removed(page(text))


def test_a_marketplaces_own_wording_comes_from_its_profile() -> None:
    wording = "Oops! Seller retired this offer"
    assert not spider()._says_removed(page(wording))
    assert spider((r"seller retired this offer",))._says_removed(page(wording))


def test_an_ordinary_listing_page_is_not_taken_down() -> None:
    assert not spider()._says_removed(page("NOVAFLEX runner, in stock, ships today"))


def test_removed_text_with_a_backreference_is_refused_when_the_profile_loads(
    tmp_path,
) -> None:
    data = load_profile("demo").model_dump()
    data["listing"]["removed_text"] = [r"(gone)\1"]  # needs backtracking: not linear time
    with pytest.raises(ValueError, match=r"removed_text"):
        MarketplaceProfile.model_validate(data)
    bad = tmp_path / "demo.yaml"
    bad.write_text("name: demo\nbase_url: http://127.0.0.1:1/\nlisting:\n  removed_text: ['(']\n")
    with pytest.raises(ConfigError, match="removed_text"):
        load_profile(bad)
