"""A tab title's shop-name suffix goes even where the host sits under a country's second-level
domain ('verdeviva.com.ar', not 'com') or spells the shop's two words as one label
('Verde Viva' on 'verdeviva'); a segment that only contains part of that name stays."""

from __future__ import annotations

from crawler.extraction import extract_listing


def title(tab: str, url: str) -> str | None:
    html = (
        f"<html lang='es'><head><title>{tab}</title></head>"
        "<body><div class='precio'>$ 320</div></body></html>"
    )
    return extract_listing(html, url).title


def test_a_two_word_shop_name_under_a_second_level_domain_is_cut() -> None:
    url = "https://www.verdeviva.com.ar/almacen/yerba-mate-suave-1-kg/5512"
    assert title("Yerba mate suave x 1 kg - Verde Viva", url) == "Yerba mate suave x 1 kg"


def test_the_host_label_under_a_co_uk_domain_is_cut() -> None:
    url = "https://www.kettleandco.co.uk/p/stovetop-kettle-2l"
    assert title("Stovetop Kettle 2L | Kettleandco", url) == "Stovetop Kettle 2L"


def test_a_segment_naming_more_than_the_shop_stays() -> None:
    url = "https://www.verdeviva.com.ar/almacen/te-verde/77"
    assert title("Té verde en hebras - Viva la hoja", url) == "Té verde en hebras - Viva la hoja"
