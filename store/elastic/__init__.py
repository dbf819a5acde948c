"""The evidence index on an Elasticsearch 8+/OpenSearch 2+ cluster, behind the same Protocol."""

from __future__ import annotations

from store.elastic.backend import ElasticStore
from store.elastic.client import Adapter, connect
from store.elastic.migrate import migrate

__all__ = ["Adapter", "ElasticStore", "connect", "migrate"]
