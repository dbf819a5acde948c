"""The seller entity: normalised contacts, a deterministic key, and where pages supply them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from crawler.extraction import jsonld
from crawler.extraction.combine import combine
from crawler.extraction.document import parse_document
from model import Finding, Listing, Seller, Signal, seller_key
from model.convert import finding_record, listing_from_record, listing_record
from model.sellers import normalise_contacts, normalise_email, normalise_phone, normalise_url

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_contacts_are_normalised_for_linking() -> None:
    assert normalise_email(" mailto:Shop@Example.COM ") == "shop@example.com"
    assert normalise_phone("+1 (555) 010-0000") == "15550100000"
    assert normalise_phone("001 555 010 0000") == "15550100000"
    assert normalise_phone("tel:+49 30 1234") == "49301234"
    assert normalise_url("https://www.Shop.example/acme/") == "shop.example/acme"
    assert normalise_url("http://shop.example") == "shop.example"
    assert normalise_contacts({"email": "A@B.c", "phone": "", "fax": "1", "store_url": None}) == {
        "email": "a@b.c"
    }


def test_the_key_is_deterministic_and_falls_back_to_the_name() -> None:
    by_id = Seller(id="s-1", name="Cheap Kicks", marketplace="demo")
    assert by_id.key == Seller(id="s-1", name="Other name", marketplace="demo").key
    assert by_id.key != Seller(id="s-1", marketplace="other").key
    assert by_id.key.startswith("S-") and len(by_id.key) == 18
    by_name = Seller(name="  Cheap KICKS ", marketplace="demo")
    assert by_name.key == Seller(name="cheap kicks", marketplace="demo").key
    assert by_name.key == seller_key("demo", None, "Cheap Kicks")
    assert by_name.key != by_id.key


def test_a_page_stating_seller_contacts_carries_them_into_the_listing() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type":"Product","name":"Bag",'
        '"offers":{"@type":"Offer","price":"19.99","priceCurrency":"USD","seller":'
        '{"@type":"Organization","name":"Shop","url":"https://www.shop.example/s/acme/",'
        '"email":"Sales@Shop.example","telephone":"+44 20 7946 0000"}}}</script></head></html>'
    )
    doc = parse_document(html, "https://shop.example/p/1")
    extracted = combine([("jsonld", jsonld.extract(doc))], doc)
    seller = extracted.seller
    assert seller is not None and seller.contacts == {
        "email": "Sales@Shop.example",
        "phone": "+44 20 7946 0000",
    }
    assert extracted.to_dict()["seller"]["contacts"] == seller.contacts
    contacts = normalise_contacts({"store_url": seller.url, **seller.contacts})
    assert contacts == {
        "store_url": "shop.example/s/acme",
        "email": "sales@shop.example",
        "phone": "442079460000",
    }


def test_conversions_between_detector_listings_and_stored_records() -> None:
    seller = Seller(id="s-1", name="Cheap Kicks", contacts={"email": "a@b.c"})
    listing = Listing(
        id="demo:1",
        marketplace="demo",
        url="http://127.0.0.1/item/1",
        title="Nikee Air",
        price=Decimal("19.90"),
        currency="EUR",
        seller=seller,
    )
    record = listing_record(
        listing, content_hash="h", now=NOW, item_id="1", data={"brand": "Nikee"}
    )
    assert record.seller is not None and record.seller.marketplace == "demo"
    assert record.seller.first_seen == record.seller.last_seen == NOW
    assert record.seller_key == Seller(id="s-1", marketplace="demo").key
    assert (record.seller_id, record.seller_name, record.price) == ("s-1", "Cheap Kicks", "19.90")
    back = listing_from_record(record)
    assert (back.id, back.title, back.price, back.brand) == (
        "demo:1",
        "Nikee Air",
        Decimal("19.90"),
        "Nikee",
    )
    assert back.seller == record.seller
    found = Finding("demo:1", "A-1", 0.9, True, (Signal("word_mark", 0.9, "NIKE in title"),))
    stored = finding_record(back, found, None, NOW)
    assert stored.id == found.id and stored.seller_key == record.seller_key
    assert stored.signals == [
        {"kind": "word_mark", "score": 0.9, "detail": "NIKE in title", "evidence": {}}
    ]
    assert stored.to_dict()["seller_name"] == "Cheap Kicks"


def test_messenger_handles_and_registration_numbers_are_normalised_or_dropped() -> None:
    got = normalise_contacts(
        {
            "wechat": "微信号: Shoes_VIP88",
            "whatsapp": "https://api.whatsapp.com/send?phone=447700900123",
            "telegram": "https://t.me/Moon_Seller/12",
            "business_reg": "el 094259216",
        }
    )
    assert got == {
        "wechat": "shoes_vip88",
        "whatsapp": "447700900123",
        "telegram": "moon_seller",
        "business_reg": "EL094259216",
    }
    junk = {
        "wechat": "wx",  # too short to be an id
        "whatsapp": "+1 23",  # too few digits
        "telegram": "@ab",  # too short
        "business_reg": "91310000MA1FL0XI23",  # 'I' never occurs in a credit code
    }
    assert normalise_contacts(junk) == {}
