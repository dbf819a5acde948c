"""Notices from confirmed findings only, per marketplace and owner, within the user's owners;
stored, hashed and in custody; their state machine carried to the findings, signed."""

from __future__ import annotations

import hashlib
from itertools import product

import pytest

from evidence.seal.custody import custody_failure
from ipwatch.services.errors import (
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
)
from ipwatch.services.evidence import verify_home
from ipwatch.services.findings import show_finding
from ipwatch.services.identity import Principal
from ipwatch.services.notice_states import mark_notice
from ipwatch.services.notices import (
    NoticeRequest,
    create_notices,
    get_notice,
    list_notices,
    notice_files,
)
from model import FindingStatus
from model.notices import NOTICE_TRANSITIONS, NoticeQuery, NoticeState, digest_text
from tests.ipwatch.services.notice_setup import (
    HOSTILE_TITLE,
    OPERATOR,
    add_finding,
    notices_workspace,
    seal_for,
)

PUMA_REVIEWER = Principal("pia", "reviewer", ("Puma",))
ACME_VIEWER = Principal("vic", "viewer", ("Acme",))


@pytest.fixture
def workspace(tmp_path):
    opened = notices_workspace(tmp_path / "home")
    yield opened
    opened.close()


def test_an_unconfirmed_finding_is_refused_and_nothing_is_made(workspace):
    add_finding(workspace, "F-1")
    add_finding(workspace, "F-2", confirm=False)
    with pytest.raises(InvalidRequestError, match="F-2 is new, not confirmed"):
        create_notices(workspace, NoticeRequest(("F-1", "F-2")), OPERATOR)
    assert workspace.index.list_notices(NoticeQuery()) == []


def test_notices_are_grouped_per_marketplace_and_owner(workspace):
    for fid, owner, market in [
        ("F-1", "Acme", "demo"),
        ("F-2", "Acme", "demo"),
        ("F-3", "Acme", "ebay"),
        ("F-4", "Puma", "demo"),
    ]:
        add_finding(workspace, fid, owner=owner, marketplace=market)
    add_finding(workspace, "F-5", confirm=False)  # not confirmed: left out of "all confirmed"
    made = create_notices(workspace, NoticeRequest(), OPERATOR)
    groups = {(n.owner, n.marketplace): (n.finding_ids, n.template) for n in made}
    assert groups == {
        ("Acme", "demo"): (["F-1", "F-2"], "generic"),
        ("Acme", "ebay"): (["F-3"], "ebay-vero"),
        ("Puma", "demo"): (["F-4"], "generic"),
    }
    ebay = next(n for n in made if n.marketplace == "ebay")
    assert [f.name for f in ebay.files] == [f"{ebay.id}-notice.txt", f"{ebay.id}-ebay-vero.csv"]
    assert all(n.state == NoticeState.DRAFT for n in made)


def test_a_finding_already_in_a_draft_is_not_noticed_twice(workspace):
    add_finding(workspace, "F-1")
    create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)
    with pytest.raises(ConflictError, match="already in draft notice"):
        create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)


def test_a_notice_needs_a_notifier(tmp_path):
    from config.settings import AppConfig
    from ipwatch.services.workspace import Workspace

    (tmp_path / "h").mkdir()
    bare = Workspace(tmp_path / "h", AppConfig())
    with pytest.raises(InvalidRequestError, match=r"notices\.notifier_name"):
        create_notices(bare, NoticeRequest(("F-1",)), OPERATOR)


def test_an_unknown_format_is_refused_with_the_known_ones(workspace):
    add_finding(workspace, "F-1")
    with pytest.raises(InvalidRequestError, match="alibaba-ipp, amazon-rav"):
        create_notices(workspace, NoticeRequest(("F-1",), template="nope"), OPERATOR)


def test_tenant_isolation_another_owners_notice_is_not_found_whatever_the_id(workspace):
    add_finding(workspace, "F-1", owner="Acme")
    add_finding(workspace, "F-4", owner="Puma")
    with pytest.raises(NotFoundError):
        create_notices(workspace, NoticeRequest(("F-1",)), PUMA_REVIEWER)
    (acme,) = create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)
    (puma,) = create_notices(workspace, NoticeRequest(), PUMA_REVIEWER)  # only its own
    assert puma.owner == "Puma" and puma.finding_ids == ["F-4"]
    assert [n.id for n in list_notices(workspace, NoticeQuery(), PUMA_REVIEWER)] == [puma.id]
    assert list_notices(workspace, NoticeQuery(owners=("Acme",)), PUMA_REVIEWER) == []
    for call in (
        lambda: get_notice(workspace, acme.id, PUMA_REVIEWER),
        lambda: notice_files(workspace, acme.id, PUMA_REVIEWER),
        lambda: mark_notice(workspace, acme.id, "sent", "", PUMA_REVIEWER),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert workspace.index.get_notice(acme.id).state == NoticeState.DRAFT


def test_a_viewer_reads_notices_but_cannot_make_or_mark_them(workspace):
    add_finding(workspace, "F-1")
    (notice,) = create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)
    assert get_notice(workspace, notice.id, ACME_VIEWER).notice.id == notice.id
    with pytest.raises(ForbiddenError):
        create_notices(workspace, NoticeRequest(("F-1",)), ACME_VIEWER)
    with pytest.raises(ForbiddenError):
        mark_notice(workspace, notice.id, "sent", "", ACME_VIEWER)


def test_the_notice_digest_is_in_the_custody_log_of_its_snapshots_and_its_own(workspace):
    add_finding(workspace, "F-1", title=HOSTILE_TITLE)
    snapshot = seal_for(workspace, ["F-1"])
    (notice,) = create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)
    files = notice_files(workspace, notice.id, OPERATOR)
    for f, data in files:
        assert hashlib.sha256(data).hexdigest() == f.sha256 == f.sha256
    assert notice.sha256 == hashlib.sha256(digest_text([f for f, _ in files])).hexdigest()
    assert notice.evidence[0]["snapshot_id"] == snapshot
    text = files[0][1].decode()
    assert snapshot in text and notice.evidence[0]["manifest_sha256"] in text
    assert "\nforged line" not in text  # the hostile title stayed on its line
    key = workspace.public_key_pem()
    for chain in (snapshot, notice.id):
        events = workspace.custody.events(chain)
        assert any(e.action == "notice" and notice.sha256 in e.detail for e in events)
        assert custody_failure(workspace.custody.lines(chain), chain, key) is None


def test_a_changed_stored_file_is_not_exported(workspace):
    add_finding(workspace, "F-1")
    (notice,) = create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)
    path = workspace.blobs.path(notice.files[0].sha256)
    path.chmod(0o644)
    path.write_bytes(b"tampered")
    with pytest.raises(ConflictError, match="no longer matches its SHA-256"):
        notice_files(workspace, notice.id, OPERATOR)


def test_the_outcome_moves_the_findings_and_every_decision_stays_signed(workspace):
    add_finding(workspace, "F-1")
    add_finding(workspace, "F-2")
    seal_for(workspace, ["F-1"])
    (notice,) = create_notices(workspace, NoticeRequest(("F-1", "F-2")), OPERATOR)
    status = lambda: {f: workspace.index.get_finding(f).status for f in ("F-1", "F-2")}  # noqa: E731
    mark_notice(workspace, notice.id, "sent", "filed on the form", OPERATOR)
    assert set(status().values()) == {FindingStatus.NOTICE_SENT}
    mark_notice(workspace, notice.id, "acknowledged", "", OPERATOR)
    result = mark_notice(workspace, notice.id, "removed", "", OPERATOR)
    assert len(result.findings) == 2 and set(status().values()) == {FindingStatus.REMOVED}
    mark_notice(workspace, notice.id, "counter_notice", "seller claims a licence", OPERATOR)
    mark_notice(workspace, notice.id, "reinstated", "licence shown", OPERATOR)
    assert set(status().values()) == {FindingStatus.CONFIRMED}
    detail = get_notice(workspace, notice.id, OPERATOR)
    assert [(e.from_state.value, e.to_state.value) for e in detail.events] == [
        ("draft", "sent"),
        ("sent", "acknowledged"),
        ("acknowledged", "removed"),
        ("removed", "counter_notice"),
        ("counter_notice", "reinstated"),
    ]
    assert detail.events[3].reason == "seller claims a licence"
    assert all(e.actor == "ana" for e in detail.events)
    history = [e.to_status for e in show_finding(workspace, "F-1", OPERATOR).events]
    assert history[-3:] == ["notice_sent", "removed", "confirmed"]
    result = verify_home(workspace, None, "ana")
    decisions = [c for r in result.workspace for c in r.checks if c.name == "decisions.status"]
    assert [c.status for c in decisions] == ["passed"]
    failed = [c for r in result.every_report for c in r.checks if c.status == "failed"]
    assert failed == []  # the notices' custody events leave the snapshots' chains intact


def test_a_rejection_needs_the_reason_and_returns_the_findings_to_confirmed(workspace):
    add_finding(workspace, "F-1")
    (notice,) = create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)
    mark_notice(workspace, notice.id, "sent", "", OPERATOR)
    with pytest.raises(InvalidRequestError, match="reason"):
        mark_notice(workspace, notice.id, "rejected", "  ", OPERATOR)
    mark_notice(workspace, notice.id, "rejected", "no proof of registration", OPERATOR)
    assert workspace.index.get_finding("F-1").status == FindingStatus.CONFIRMED


ILLEGAL = [(a, b) for a, b in product(NoticeState, NoticeState) if b not in NOTICE_TRANSITIONS[a]]
PATH = {
    NoticeState.DRAFT: [],
    NoticeState.SENT: ["sent"],
    NoticeState.ACKNOWLEDGED: ["sent", "acknowledged"],
    NoticeState.REMOVED: ["sent", "removed"],
    NoticeState.REJECTED: ["sent", "rejected"],
    NoticeState.COUNTER_NOTICE: ["sent", "removed", "counter_notice"],
    NoticeState.REINSTATED: ["sent", "removed", "counter_notice", "reinstated"],
}


@pytest.mark.parametrize(("start", "to"), ILLEGAL, ids=[f"{a}-to-{b}" for a, b in ILLEGAL])
def test_an_illegal_transition_is_refused_and_changes_nothing(workspace, start, to):
    add_finding(workspace, "F-1")
    (notice,) = create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)
    for step in PATH[start]:
        mark_notice(workspace, notice.id, step, "why", OPERATOR)
    before = workspace.index.get_notice(notice.id)
    finding_before = workspace.index.get_finding("F-1").status
    with pytest.raises(ConflictError, match=f"is {start.value}: it cannot become {to.value}"):
        mark_notice(workspace, notice.id, to.value, "why", OPERATOR)
    after = workspace.index.get_notice(notice.id)
    assert (after.state, after.revision) == (before.state, before.revision)
    assert workspace.index.get_finding("F-1").status == finding_before


def test_an_unknown_state_and_a_stale_revision_are_refused(workspace):
    add_finding(workspace, "F-1")
    (notice,) = create_notices(workspace, NoticeRequest(("F-1",)), OPERATOR)
    with pytest.raises(InvalidRequestError, match="unknown notice state 'deleted'"):
        mark_notice(workspace, notice.id, "deleted", "", OPERATOR)
    stale = workspace.index.get_notice(notice.id).revision
    mark_notice(workspace, notice.id, "sent", "", OPERATOR)
    with pytest.raises(ConflictError, match="ana set it to sent"):
        mark_notice(workspace, notice.id, "acknowledged", "", OPERATOR, revision=stale)


def test_a_notice_cites_the_wacz_its_evidence_was_exported_to(workspace, tmp_path):
    add_finding(workspace, "F-1")
    snapshot = seal_for(workspace, ["F-1"])
    out = tmp_path / "cases"
    out.mkdir()
    (notice,) = create_notices(workspace, NoticeRequest(("F-1",), wacz_dir=out), OPERATOR)
    assert (out / f"{notice.id}.wacz").is_file()
    text = notice_files(workspace, notice.id, OPERATOR)[0][1].decode()
    assert f"snapshot {snapshot}" in text and f"in {notice.id}.wacz" in text
    actions = [e.action for e in workspace.custody.events(snapshot)]
    assert actions[-2:] == ["exported", "notice"]


def test_a_listing_gone_with_404_or_410_is_removed_and_its_notice_with_it(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from config.settings import CrawlConfig
    from ipwatch.services.notice_checks import check_noticed

    answers = {"/item/F-1": 404, "/item/F-2": 410, "/item/F-3": 200}

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(answers.get(self.path, 500))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ws = notices_workspace(tmp_path / "home")
        for fid, market in (("F-1", "demo"), ("F-2", "demo"), ("F-3", "ebay")):
            add_finding(ws, fid, marketplace=market)
        port = server.server_address[1]
        for fid in ("F-1", "F-2", "F-3"):  # the listings live on the local shop
            record = ws.index.get_finding(fid)
            record.url = f"http://127.0.0.1:{port}/item/{fid}"
            ws.index.upsert_finding(record)
        made = create_notices(ws, NoticeRequest(), OPERATOR)
        # before a notice is sent nothing is checked; and a private shop needs an allowance
        assert check_noticed(ws, OPERATOR).checked == 0
        for notice in made:
            mark_notice(ws, notice.id, "sent", "", OPERATOR)
        refused = check_noticed(ws, OPERATOR)
        assert len(refused.problems) == 3 and "non-public" in refused.problems[0][1]
        ws.config = ws.config.model_copy(
            update={"crawl": CrawlConfig(allowed_private_hosts=[f"127.0.0.1:{port}"])}
        )
        result = check_noticed(ws, OPERATOR)
        assert sorted((f, s) for f, _, s in result.gone) == [("F-1", 404), ("F-2", 410)]
        assert result.still_there == ["F-3"]
        demo = next(n for n in made if n.marketplace == "demo")
        ebay = next(n for n in made if n.marketplace == "ebay")
        assert result.notices_removed == [demo.id]
        assert ws.index.get_notice(demo.id).state == NoticeState.REMOVED
        assert ws.index.get_notice(ebay.id).state == NoticeState.SENT
        assert ws.index.get_finding("F-1").status == FindingStatus.REMOVED
        assert ws.index.get_finding("F-3").status == FindingStatus.NOTICE_SENT
        why = show_finding(ws, "F-1", OPERATOR).events[-1].reason
        assert "answered HTTP 404 at" in why
        ws.close()
    finally:
        server.shutdown()
        server.server_close()


def test_notices_work_alike_on_a_real_opensearch_node(request, tmp_path):
    import uuid

    url = request.getfixturevalue("opensearch_url")
    ws = notices_workspace(
        tmp_path / "os-home", index=f"{url}/?prefix=t-notice-{uuid.uuid4().hex[:8]}"
    )
    try:
        add_finding(ws, "F-1")
        add_finding(ws, "F-4", owner="Puma")
        add_finding(ws, "F-5", confirm=False)
        with pytest.raises(InvalidRequestError, match="not confirmed"):
            create_notices(ws, NoticeRequest(("F-5",)), OPERATOR)
        (notice,) = create_notices(ws, NoticeRequest(("F-1",)), OPERATOR)
        assert list_notices(ws, NoticeQuery(), PUMA_REVIEWER) == []
        with pytest.raises(NotFoundError):
            mark_notice(ws, notice.id, "sent", "", PUMA_REVIEWER)
        mark_notice(ws, notice.id, "sent", "", OPERATOR)
        with pytest.raises(ConflictError):
            mark_notice(ws, notice.id, "reinstated", "x", OPERATOR)
        mark_notice(ws, notice.id, "removed", "", OPERATOR)
        assert ws.index.get_finding("F-1").status == FindingStatus.REMOVED
        events = get_notice(ws, notice.id, OPERATOR).events
        assert [e.to_state.value for e in events] == ["sent", "removed"]
    finally:
        ws.close()
