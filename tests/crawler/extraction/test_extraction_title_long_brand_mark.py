"""A heading whose only text sits in a brand-marked span is the brand alone only when that text
is as short as a brand: a shop theme that names its product-name span 'productBrand' still
shows the product's whole name, inch size and all, over a shorter og:title."""

from __future__ import annotations

from crawler.extraction import extract_listing

OG = '<meta property="og:title" content="Monitor Arco 27 QHD 165Hz">'


def title(h1: str) -> str | None:
    html = (
        f"<html lang='es'><head><title>Tienda</title>{OG}</head>"
        f"<body><a class='brand-name'>Arco</a>{h1}"
        "<div class='price'>$ 1.299.000</div></body></html>"
    )
    return extract_listing(html, "https://tienda.example.co/monitor-arco-27/p").title


def test_a_long_name_in_a_brand_marked_span_is_the_title() -> None:
    name = 'Monitor Arco 27 QHD 165Hz IPS 1 ms HDR400 27"'
    h1 = f'<h1><span class="store-productBrand">{name}</span></h1>'
    assert title(h1) == name


def test_a_short_brand_in_a_brand_marked_span_is_not_the_title() -> None:
    assert title('<h1><span class="store-productBrand">Arco</span></h1>') == (
        "Monitor Arco 27 QHD 165Hz"
    )
