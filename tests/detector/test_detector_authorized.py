"""An owner's authorized sellers cover all its assets, and the finding says so (issue 15 cause 6).

New owners, sellers and titles written for these tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from detector.engine import Detector
from detector.rules import authorized_seller_signal, owner_wide_sellers, unauthorized_seller_signal
from detector.scoring import risk
from detector.settings import DetectionSettings
from model import Asset, AssetKind, Listing, Seller, Signal

MARK = Asset(
    id="M",
    owner="Orvella GmbH",
    kind=AssetKind.WORD_MARK,
    name="ORVELLA",
    classes=("18",),
    authorized_sellers=("Orvella Flagship", "orv-eu-02"),
    price_floor=Decimal("120"),
    currency="EUR",
)
LOGO = Asset(id="L", owner="Orvella GmbH", kind=AssetKind.FIGURATIVE_MARK, name="Orvella bird logo")
OWN_LIST = Asset(
    id="P",
    owner="Orvella GmbH",
    kind=AssetKind.FIGURATIVE_MARK,
    name="Orvella outlet logo",
    authorized_sellers=("Orvella Outlet",),
)
OTHER = Asset(id="X", owner="Kestrin Ltd", kind=AssetKind.FIGURATIVE_MARK, name="Kestrin logo")


def test_an_asset_without_its_own_list_takes_its_owners_sellers() -> None:
    assets = owner_wide_sellers({a.id: a for a in (MARK, LOGO, OWN_LIST, OTHER)})
    # every seller the owner named on any of its assets
    assert assets["L"].authorized_sellers == ("Orvella Flagship", "orv-eu-02", "Orvella Outlet")
    assert assets["L"].sellers_from_owner is True
    assert assets["P"].authorized_sellers == ("Orvella Outlet",)  # it says otherwise
    assert assets["M"].sellers_from_owner is False
    assert assets["X"].authorized_sellers == ()  # another owner's sellers are not Kestrin's


def _logo_signal(score: float = 0.9) -> Signal:
    return Signal(kind="logo", score=score, detail="logo", evidence={})


def _price_signal(score: float = 0.5) -> Signal:
    return Signal(kind="below_price_floor", score=score, detail="price", evidence={})


def test_an_authorized_sellers_logo_on_sale_under_the_floor_does_not_flag() -> None:
    """The issue's case: official logo in the photo, a price just under the floor (0.61)."""
    settings = DetectionSettings()
    signals = [_logo_signal(1.0), _price_signal(0.5)]
    assert risk(signals, settings) >= settings.threshold  # unknown seller: still flagged
    assert risk(signals, settings, seller_authorized=True) < 0.5


def _listing(seller: Seller | None, title: str = "Leather tote bag") -> Listing:
    return Listing(
        id="l1",
        marketplace="shop",
        url="https://shop.example/l1",
        title=title,
        seller=seller,
        price=Decimal("110"),
        currency="EUR",
    )


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector([MARK, LOGO, OWN_LIST, OTHER])


def test_the_finding_names_the_authorized_seller_and_where_the_list_came_from(
    detector: Detector,
) -> None:
    seller = Seller(id="orv-eu-02", name="Orvella EU", marketplace="shop")
    [finding] = detector.detect(_listing(seller, "ORVELLA leather tote bag"))
    assert not finding.flagged
    [note] = [s for s in finding.signals if s.kind == "authorized_seller"]
    assert note.score == 0.0
    assert "Orvella EU" in note.detail and "authorized list of ORVELLA" in note.detail
    assert "unauthorized_seller" not in [s.kind for s in finding.signals]


def test_a_lookalike_seller_name_is_not_authorized(detector: Detector) -> None:
    seller = Seller(id=None, name="0rvella Flagship", marketplace="shop")
    [finding] = detector.detect(_listing(seller, "ORVELLA leather tote bag"))
    kinds = [s.kind for s in finding.signals]
    assert "authorized_seller" not in kinds and "unauthorized_seller" in kinds
    assert finding.flagged


def test_owner_wide_sellers_reach_the_logo_asset() -> None:
    assets = owner_wide_sellers({a.id: a for a in (MARK, LOGO)})
    seller = Seller(id=None, name="Orvella Flagship", marketplace="shop")
    note = authorized_seller_signal(assets["L"], seller)
    assert note is not None and "one of the sellers Orvella GmbH authorized" in note.detail
    stranger = Seller(id=None, name="Bag Bargains", marketplace="shop")
    refused = unauthorized_seller_signal(assets["L"], stranger)
    assert refused is not None and "authorized sellers of Orvella GmbH" in refused.detail
    assert authorized_seller_signal(assets["L"], stranger) is None
