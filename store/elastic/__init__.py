"""The evidence index on an Elasticsearch 8+/OpenSearch 2+ cluster, behind the same Protocol."""

from __future__ import annotations

from evidence.index.elastic.backend import ElasticIndex
from evidence.index.elastic.client import Adapter, connect
from evidence.index.elastic.migrate import migrate

__all__ = ["Adapter", "ElasticIndex", "connect", "migrate"]
