"""A local web shop on 127.0.0.1 with known infringing listings, for demos and tests."""

from __future__ import annotations

from demomarket.catalog import CATALOG, Catalog
from demomarket.faults import Fault, FaultPlan
from demomarket.records import Expectation
from demomarket.server import DemoMarket, RequestRecord

__all__ = [
    "CATALOG",
    "Catalog",
    "DemoMarket",
    "Expectation",
    "Fault",
    "FaultPlan",
    "RequestRecord",
]
