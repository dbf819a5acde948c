"""Seller networks: seller accounts linked by identifiers they share, in explained groups."""

from __future__ import annotations

from enforcement.networks.facts import SellerFacts, identifiers_of, store_name_key
from enforcement.networks.index import Edge, Ignored, NetworkIndex

__all__ = ["Edge", "Ignored", "NetworkIndex", "SellerFacts", "identifiers_of", "store_name_key"]
