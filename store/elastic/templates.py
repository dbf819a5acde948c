"""Versioned index templates with explicit mappings, one index per kind, reached through aliases."""

from __future__ import annotations

from typing import Any, Literal

Kind = Literal[
    "sellers",
    "listings",
    "findings",
    "snapshots",
    "events",
    "runs",
    "notices",
    "notice_events",
    "deliveries",
    "listing_states",
]
# Sellers first: migrating listings and findings backfills the sellers they name. Notices,
# their events and webhook deliveries came with enforcement (issue 13): new kinds, so an older
# cluster gets them created by first use or by `ipwatch index migrate`, nothing to copy; so do
# listing states (issue 14), one document per run and listing.
KINDS: tuple[Kind, ...] = (
    "sellers",
    "listings",
    "findings",
    "snapshots",
    "events",
    "runs",
    "notices",
    "notice_events",
    "deliveries",
    "listing_states",
)

# Bump a kind's version whenever its mapping or analysis changes; `ipwatch index migrate`
# then builds <prefix>-<kind>-v<N+1> and moves the alias. Version 2 of listings and findings
# refers to the seller by ``seller_key`` instead of copying its id, name and URL.
VERSIONS: dict[Kind, int] = {
    "sellers": 1,
    "listings": 2,
    "findings": 2,
    "snapshots": 1,
    "events": 1,
    "runs": 1,
    "notices": 1,
    "notice_events": 1,
    "deliveries": 1,
    "listing_states": 1,
}

# Marketplace text mixes English and Chinese. The standard tokenizer splits CJK text into single
# characters; cjk_bigram joins neighbours into bigrams. Indexing keeps unigrams too, searching
# uses bigrams only (a lone character stays a unigram), so the query 雷霆 needs the bigram 雷霆
# in the title, while a one-character query still finds titles containing it. asciifolding makes
# "élan" find "ELAN"; no stemming, so a word matches only itself (as in the SQLite backend).
ANALYSIS: dict[str, Any] = {
    "filter": {
        "ipwatch_bigram_index": {"type": "cjk_bigram", "output_unigrams": True},
        "ipwatch_bigram_search": {"type": "cjk_bigram", "output_unigrams": False},
    },
    "analyzer": {
        "ipwatch_text": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "asciifolding", "ipwatch_bigram_index"],
        },
        "ipwatch_text_search": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "asciifolding", "ipwatch_bigram_search"],
        },
    },
    "normalizer": {"ipwatch_fold": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
}

# Hostile listings can carry megabyte titles; keyword terms above Lucene's 32 KiB limit would
# reject the whole document, so long values are kept in _source but not indexed as keywords.
KEYWORD: dict[str, Any] = {"type": "keyword", "ignore_above": 1024}
TEXT: dict[str, Any] = {
    "type": "text",
    "analyzer": "ipwatch_text",
    "search_analyzer": "ipwatch_text_search",
    "fields": {"keyword": {"type": "keyword", "ignore_above": 256, "normalizer": "ipwatch_fold"}},
}
DATE: dict[str, Any] = {"type": "date", "format": "strict_date_optional_time"}
OPAQUE: dict[str, Any] = {"type": "object", "enabled": False}  # stored, never mapped

_PROPERTIES: dict[Kind, dict[str, Any]] = {
    "sellers": {
        "key": KEYWORD,
        "marketplace": KEYWORD,
        "id": KEYWORD,
        "name": TEXT,
        "name_folded": KEYWORD,  # casefolded name, what a seller filter matches
        "url": KEYWORD,
        "contacts": {
            "type": "object",
            "dynamic": False,
            "properties": {"email": KEYWORD, "phone": KEYWORD, "store_url": KEYWORD},
        },
        "first_seen": DATE,
        "last_seen": DATE,
    },
    "listings": {
        "id": KEYWORD,
        "marketplace": KEYWORD,
        "url": KEYWORD,
        "title": TEXT,
        "description": TEXT,
        "content_hash": KEYWORD,
        "first_seen": DATE,
        "last_seen": DATE,
        # Prices are decimal strings in records; a keyword keeps "19.90" exactly as crawled.
        "price": KEYWORD,
        "currency": KEYWORD,
        "seller_key": KEYWORD,
        "item_id": KEYWORD,
        "data": OPAQUE,
        "last_change": KEYWORD,  # what the latest upsert did: new | changed | unchanged
    },
    "findings": {
        "id": KEYWORD,
        "listing_id": KEYWORD,
        "asset_id": KEYWORD,
        "owner": KEYWORD,
        "marketplace": KEYWORD,
        "risk": {"type": "double"},  # double: search_after must echo the exact stored value
        "flagged": {"type": "boolean"},
        "signals": {
            "type": "nested",
            "dynamic": False,
            "properties": {
                "kind": KEYWORD,
                "score": {"type": "double"},
                "detail": {"type": "text", "analyzer": "ipwatch_text"},
                "evidence": OPAQUE,
            },
        },
        "created": DATE,
        "updated": DATE,
        "status": KEYWORD,
        "seller_key": KEYWORD,  # Seller.key: the seller is stored once, in the sellers index
        "title": TEXT,
        "url": KEYWORD,
        "registration_number": KEYWORD,
        "snapshot_ids": KEYWORD,
    },
    "snapshots": {
        "id": KEYWORD,
        "finding_ids": KEYWORD,
        "listing_id": KEYWORD,
        "manifest_sha256": KEYWORD,
        "ledger_seq": {"type": "long"},
        "captured_at": DATE,
        "url": KEYWORD,
        "artifacts": {
            "type": "nested",
            "dynamic": False,
            "properties": {
                "name": KEYWORD,
                "sha256": KEYWORD,
                "size": {"type": "long"},
                "media_type": KEYWORD,
            },
        },
    },
    "events": {
        "id": KEYWORD,
        "finding_id": KEYWORD,
        "at": DATE,
        "seq": {"type": "long"},  # the finding's seq_no after the change: orders same-ms events
        "actor": KEYWORD,
        "from_status": KEYWORD,
        "to_status": KEYWORD,
        "reason": {"type": "text", "analyzer": "ipwatch_text"},
    },
    "runs": {
        "id": KEYWORD,
        "marketplace": KEYWORD,
        "trigger": KEYWORD,
        "started": DATE,
        "finished": DATE,
        "counters": OPAQUE,
        "status": KEYWORD,
    },
    "notices": {
        "id": KEYWORD,
        "owner": KEYWORD,
        "marketplace": KEYWORD,
        "template": KEYWORD,
        "state": KEYWORD,
        "created": DATE,
        "updated": DATE,
        "created_by": KEYWORD,
        "sha256": KEYWORD,
        "finding_ids": KEYWORD,
        "urls": KEYWORD,
        "evidence": OPAQUE,
        "files": OPAQUE,
    },
    "notice_events": {
        "id": KEYWORD,
        "notice_id": KEYWORD,
        "at": DATE,
        "seq": {"type": "long"},  # the notice's seq_no after the change: orders same-ms events
        "actor": KEYWORD,
        "from_state": KEYWORD,
        "to_state": KEYWORD,
        "reason": {"type": "text", "analyzer": "ipwatch_text"},
    },
    "deliveries": {
        "id": KEYWORD,
        "event": KEYWORD,
        "target": KEYWORD,
        "created": DATE,
        "status": KEYWORD,
        "attempts": {"type": "long"},
        "body": {"type": "text", "index": False},  # the signed JSON, stored as sent
    },
    "listing_states": {
        "id": KEYWORD,  # <run id>|<listing id>
        "run_id": KEYWORD,
        "listing_id": KEYWORD,
        "marketplace": KEYWORD,
        "state": KEYWORD,
        "at": DATE,
        "reason": KEYWORD,
    },
}


def alias_name(prefix: str, kind: Kind) -> str:
    """Readers and writers only ever use the alias, so a migration can move it underneath."""
    return f"{prefix}-{kind}"


def index_name(prefix: str, kind: Kind, version: int | None = None) -> str:
    return f"{prefix}-{kind}-v{VERSIONS[kind] if version is None else version}"


def index_version(prefix: str, kind: Kind, index: str) -> int | None:
    """The N of ``<prefix>-<kind>-v<N>``, or None for an index we did not name."""
    head = f"{alias_name(prefix, kind)}-v"
    tail = index[len(head) :] if index.startswith(head) else ""
    return int(tail) if tail.isdigit() else None


def index_body(kind: Kind) -> dict[str, Any]:
    """Settings and mappings of one kind; unknown fields are kept in _source, never mapped."""
    return {
        "settings": {
            "number_of_shards": 1,
            "analysis": ANALYSIS,
            "index": {"max_result_window": 10000},
        },
        "mappings": {
            "dynamic": False,
            "_meta": {"ipwatch_kind": kind, "ipwatch_version": VERSIONS[kind]},
            "properties": _PROPERTIES[kind],
        },
    }


def template_body(prefix: str, kind: Kind) -> dict[str, Any]:
    """A composable index template matching every version of the kind's indices."""
    return {
        "index_patterns": [f"{alias_name(prefix, kind)}-v*"],
        "version": VERSIONS[kind],
        "priority": 200,
        "template": index_body(kind),
        "_meta": {"managed_by": "ipwatch"},
    }
