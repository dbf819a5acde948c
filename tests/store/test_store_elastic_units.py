"""Pure parts of the Elasticsearch/OpenSearch backend: URL settings, templates, queries, spool."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime

import pytest

from model import FindingQuery, FindingRecord, FindingStatus, ListingRecord, Seller
from store.elastic import queries, templates
from store.elastic.bulk import Backoff, BulkItem, run_bulk
from store.elastic.client import connect, parse_url
from store.elastic.documents import (
    finding_doc,
    finding_from,
    listing_doc,
    listing_from,
    parse_revision,
)
from store.elastic.errors import IndexRejectedError, translate
from store.elastic.spool import Spool
from store.exceptions import (
    IndexConfigError,
    IndexUnavailableError,
    RecordConflictError,
    RecordNotFoundError,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def dead_port() -> int:
    """A port on 127.0.0.1 that nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# settings from URL, arguments and environment


def test_url_prefix_credentials_and_precedence():
    s = parse_url("https://bob:p%40ss@es.local:9243/base/?prefix=t-1", env={})
    assert (s.host, s.prefix, s.username, s.password) == (
        "https://es.local:9243/base",
        "t-1",
        "bob",
        "p@ss",
    )
    env = {
        "IPWATCH_INDEX_USERNAME": "env-user",
        "IPWATCH_INDEX_PASSWORD": "env-pw",
        "IPWATCH_INDEX_CA_CERTS": "/etc/ca.pem",
    }
    s = parse_url("http://127.0.0.1:9200", env=env)
    assert (s.prefix, s.username, s.password, s.ca_certs) == (
        "ipwatch",
        "env-user",
        "env-pw",
        "/etc/ca.pem",
    )
    s = parse_url("http://u:p@127.0.0.1", username="arg", env=env)
    assert (s.username, s.password, s.host) == ("arg", "p", "http://127.0.0.1:9200")
    assert parse_url("http://h", env={"IPWATCH_INDEX_API_KEY": "k"}).api_key == "k"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://h/?prefix=UPPER", "lowercase"),
        ("http://h/?prefix=a/b", "lowercase"),
        ("http://h/?prefx=a", "unknown option"),
        ("ftp://h", "http"),
        ("http://", "http"),
    ],
)
def test_bad_urls_are_refused_with_a_fix(url, message):
    with pytest.raises(IndexConfigError, match=message):
        parse_url(url, env={})


def test_api_key_and_username_together_are_refused():
    with pytest.raises(IndexConfigError, match="keep one"):
        parse_url("http://u:p@h", env={"IPWATCH_INDEX_API_KEY": "k"})


# templates


def _analyzers_used(props: dict) -> set[str]:
    found: set[str] = set()
    for spec in props.values():
        for key in ("analyzer", "search_analyzer"):
            if key in spec:
                found.add(spec[key])
        found |= _analyzers_used(spec.get("properties", {}))
    return found


@pytest.mark.parametrize("kind", templates.KINDS)
def test_templates_are_explicit_and_self_consistent(kind):
    body = templates.template_body("acme", kind)
    json.dumps(body)  # plain JSON, nothing the clients would have to serialise specially
    assert body["index_patterns"] == [f"acme-{kind}-v*"]
    assert body["version"] == templates.VERSIONS[kind]
    mappings = body["template"]["mappings"]
    assert mappings["dynamic"] is False  # hostile field names never grow the mapping
    assert mappings["_meta"]["ipwatch_version"] == templates.VERSIONS[kind]
    declared = set(body["template"]["settings"]["analysis"]["analyzer"])
    assert _analyzers_used(mappings["properties"]) <= declared
    assert "id" in mappings["properties"]
    name = templates.index_name("acme", kind)
    assert name.startswith(f"{templates.alias_name('acme', kind)}-v")
    assert templates.index_version("acme", kind, name) == templates.VERSIONS[kind]
    assert templates.index_version("acme", kind, f"acme-{kind}-vX") is None
    assert templates.index_version("other", kind, name) is None


def test_mapping_choices_that_reads_rely_on():
    findings = templates.index_body("findings")["mappings"]["properties"]
    assert findings["risk"]["type"] == "double"  # search_after echoes the stored value exactly
    assert findings["signals"]["type"] == "nested"
    assert findings["title"]["analyzer"] == "ipwatch_text"
    assert findings["title"]["search_analyzer"] == "ipwatch_text_search"
    listings = templates.index_body("listings")["mappings"]["properties"]
    assert listings["price"]["type"] == "keyword"  # "19.90" stays "19.90"
    assert listings["data"] == {"type": "object", "enabled": False}
    filters = templates.ANALYSIS["filter"]
    assert filters["ipwatch_bigram_index"]["output_unigrams"] is True
    assert filters["ipwatch_bigram_search"]["output_unigrams"] is False


# documents and queries


def test_documents_round_trip_and_revision_tokens():
    listing = ListingRecord(
        id="L-1",
        marketplace="m",
        url="u",
        title="t",
        content_hash="h",
        first_seen=T0,
        last_seen=T0,
        price="19.90",
        data={"when": T0, "n": 1},
    )
    doc = listing_doc(listing)
    assert doc["first_seen"] == "2024-05-01T12:00:00.000000Z"
    assert doc["data"] == {"when": "2024-05-01 12:00:00+00:00", "n": 1}
    assert listing_from({**doc, "last_change": "new"}).price == "19.90"
    finding = FindingRecord(
        id="F-1",
        listing_id="L-1",
        asset_id="A",
        owner="o",
        marketplace="m",
        risk=0.9,
        flagged=True,
        signals=[],
        created=T0,
        updated=T0,
        seller=Seller(name="  ÉLAN Shop "),
    )
    fdoc = finding_doc(finding)
    assert fdoc["seller_key"] == Seller(name="ÉLAN Shop", marketplace="m").key  # stored once
    assert "revision" not in fdoc and "seller" not in fdoc
    back = finding_from({"_source": fdoc, "_seq_no": 7, "_primary_term": 2})
    assert back.revision == "7:2" and back.status is FindingStatus.NEW
    assert parse_revision("7:2") == (7, 2)
    with pytest.raises(ValueError, match="reload"):
        parse_revision("garbage")
    with pytest.raises(ValueError, match="naive"):
        listing_doc(ListingRecord("x", "m", "u", "t", "h", datetime(2024, 1, 1), T0))


def test_finding_filter_builds_every_condition():
    q = queries.finding_filter(
        FindingQuery(
            asset_id="A-1",
            seller="ÉLAN Shop",
            marketplace="demo",
            status=FindingStatus.IN_REVIEW,
            flagged_only=True,
            text="雷霆 nike",
        )
    )
    filters = q["bool"]["filter"]
    assert {"term": {"asset_id": "A-1"}} in filters
    assert {"term": {"marketplace": "demo"}} in filters
    assert {"term": {"status": "in_review"}} in filters
    assert {"term": {"flagged": True}} in filters
    assert {"terms": {"seller_key": ["ÉLAN Shop"]}} in filters  # taken as a key when unresolved
    resolved = queries.finding_filter(FindingQuery(seller="x"), ["S-1", "S-2"])["bool"]["filter"]
    assert resolved == [{"terms": {"seller_key": ["S-1", "S-2"]}}]
    seller = queries.seller_filter("ÉLAN Shop")["bool"]["should"]
    assert {"term": {"id": "ÉLAN Shop"}} in seller
    assert {"term": {"name_folded": "élan shop"}} in seller
    assert q["bool"]["must"] == [{"match": {"title": {"query": "雷霆 nike", "operator": "and"}}}]
    assert queries.finding_filter(FindingQuery())["bool"] == {
        "must": [{"match_all": {}}],
        "filter": [],
    }


def test_count_body_pages_a_composite_aggregation():
    body = queries.count_body("day", FindingQuery(marketplace="m"), {"key": "2024-05-01"}, 10)
    composite = body["aggs"]["counts"]["composite"]
    assert composite["after"] == {"key": "2024-05-01"} and composite["size"] == 10
    assert composite["sources"][0]["key"]["date_histogram"]["time_zone"] == "UTC"
    assert body["size"] == 0
    assert queries.count_body("seller", FindingQuery(), None, 5)["aggs"]["counts"]["composite"][
        "sources"
    ][0]["key"]["terms"]["missing_bucket"]
    assert queries.bucket_key(None) == ""
    with pytest.raises(ValueError, match="marketplace, asset, seller, day, status, owner"):
        queries.count_body("colour", FindingQuery(), None, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nested_count_body"):
        queries.count_body("signal_kind", FindingQuery(), None, 5)


def test_listing_text_matches_all_words_across_title_and_description():
    q = queries.listing_filter("雷霆 bank", "demo")
    assert q["bool"]["must"][0]["multi_match"]["type"] == "cross_fields"
    assert q["bool"]["must"][0]["multi_match"]["operator"] == "and"
    assert q["bool"]["filter"] == [{"term": {"marketplace": "demo"}}]


# errors


def test_failures_are_sorted_into_spool_conflict_missing_or_reject():
    assert isinstance(translate(None, "refused", "bulk"), IndexUnavailableError)
    assert isinstance(translate(429, {}, "bulk"), IndexUnavailableError)
    blocked = {"error": {"type": "cluster_block_exception"}}
    assert isinstance(translate(403, blocked, "index"), IndexUnavailableError)
    assert isinstance(translate(409, {}, "index"), RecordConflictError)
    assert isinstance(translate(404, {}, "get"), RecordNotFoundError)
    rejected = translate(400, {"error": {"type": "mapper_parsing_exception"}}, "index")
    assert isinstance(rejected, IndexRejectedError)
    assert "mapper_parsing_exception" in str(rejected)
    assert "ipwatch index flush" in str(translate(503, {}, "x"))


# bulk against a real closed port


def test_bulk_backs_off_exponentially_then_reports_items_as_transient():
    waits: list[float] = []
    adapter = connect(f"http://127.0.0.1:{dead_port()}", max_retries=0, timeout=2)
    items = [BulkItem({"index": {"_index": "x", "_id": str(i)}}, {"n": i}) for i in range(3)]
    results = run_bulk(adapter, items, Backoff(max_retries=3, initial=0.5, sleep=waits.append))
    assert waits == [0.5, 1.0, 2.0]
    assert all(r.transient and not r.ok for r in results)
    assert "unavailable" in results[0].error


# spool


def test_spool_keeps_order_and_survives_reopen(tmp_path):
    path = tmp_path / "spool.db"
    spool = Spool(path)
    seqs = [
        spool.append("listing", "listings/L-1", {"v": 1}, "down", T0),
        spool.append("finding", "findings/F-1", {"v": 2}, "down", T0),
        spool.append("listing", "listings/L-1", {"v": 3}, "down", T0),
    ]
    spool.close()
    spool = Spool(path)
    assert [op.seq for op in spool.ops()] == seqs
    assert [op.payload["v"] for op in spool.ops()] == [1, 2, 3]
    assert spool.holds("listings/L-1") and not spool.holds("listings/L-2")
    spool.failed_again(seqs[0], "still down")
    spool.done(seqs[1])
    spool.close()
    spool = Spool(path)
    first, last = spool.ops()
    assert (first.attempts, first.last_error, first.first_failed_at) == (2, "still down", T0)
    assert last.payload == {"v": 3} and len(spool) == 2
    assert [op.seq for op in spool.ops(after=seqs[0], limit=5)] == [seqs[2]]
    spool.close()


def test_spool_file_appears_with_the_first_op_and_is_in_wal_mode(tmp_path):
    import sqlite3

    spool = Spool(tmp_path / "s.db")
    assert (len(spool), spool.ops(), spool.holds("listings/x")) == (0, [], False)
    assert not (tmp_path / "s.db").exists()  # a healthy cluster leaves no file behind
    spool.append("listing", "listings/x", {}, "down", T0)
    spool.close()
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
