"""Table layout of the SQLite index, and the in-place upgrade of files an older ipwatch wrote.

Version 2 gives listings and findings an ``INTEGER PRIMARY KEY`` (a rowid that VACUUM cannot
renumber, which external-content FTS5 tables rely on), a finding ``revision`` bumped on every
write, and normalised search columns indexed by FTS5 and kept in sync by triggers.

Upgrade from version 1 (``PRAGMA user_version``): SQLite cannot add a primary key to a table, so
the two tables are rebuilt in one transaction (rename, create, copy, drop; SQLite's documented
recipe), filling the new columns; a crash leaves the version 1 file untouched.

Version 3 stores each seller once (``sellers``, keyed by ``Seller.key``) and has listings and
findings refer to it by ``seller_key`` instead of copying its id, name and URL. Upgrade from
version 2, in the same single transaction: create ``sellers``, backfill it from the seller
columns of the stored listings and findings, set ``seller_key``, then drop the copied columns.
Every file goes through that step after the version 2 layout exists, so a new file and an
upgraded one end up with exactly the same tables.

Version 4 serves the review queue: ``finding_signals`` holds each finding's distinct signal
kinds (one row per kind and finding, kept in step with the ``signals`` JSON by triggers), so a
signal-kind filter or count reads an index instead of parsing every finding's JSON; and indexes
for the owner (tenant) scope, status and first-seen filters. Upgrade from version 3: create
them (``CREATE ... IF NOT EXISTS``) and backfill ``finding_signals`` from the stored signals.

Version 5 adds enforcement: ``notices`` (one row per takedown notice, its state and revision;
lists in ``data`` JSON), ``notice_events`` (every state change) and ``webhook_deliveries``.
Upgrade from version 4: create the three tables (nothing to backfill), in the same transaction.

Version 6 adds ``listing_states``: each crawl run's state of each listing (new, changed,
unchanged, gone, reappeared), keyed by run and listing, with an index to find a listing's latest
state. Upgrade from version 5: create the table and its index (nothing to backfill: runs before
it have no states, so the first run after the upgrade declares nothing gone).

Version 7 gives ``runs`` a ``resumed_from`` column: the interrupted run a resumed crawl carried
on. Upgrade from version 6: add the column (older runs resumed nothing, so it stays NULL).
"""

from __future__ import annotations

import json
import sqlite3

from model.sellers import fold_name, normalise_contacts, seller_key
from store.exceptions import IndexConfigError
from store.sqlite.text import terms

SCHEMA_VERSION = 7
_FTS = "tokenize = 'unicode61 remove_diacritics 2'"
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS listings (
  n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, marketplace TEXT NOT NULL, url TEXT NOT NULL,
  title TEXT NOT NULL, content_hash TEXT NOT NULL, first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL, description TEXT NOT NULL, price TEXT, currency TEXT, seller_id TEXT,
  seller_name TEXT, seller_url TEXT, item_id TEXT, data TEXT NOT NULL,
  title_terms TEXT NOT NULL DEFAULT '', description_terms TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX IF NOT EXISTS listings_marketplace ON listings(marketplace, id)",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS listings_fts USING fts5(
  title_terms, description_terms, content = 'listings', content_rowid = 'n', {_FTS})""",
    """CREATE TRIGGER IF NOT EXISTS listings_fts_insert AFTER INSERT ON listings BEGIN
  INSERT INTO listings_fts (rowid, title_terms, description_terms)
  VALUES (new.n, new.title_terms, new.description_terms); END""",
    """CREATE TRIGGER IF NOT EXISTS listings_fts_delete AFTER DELETE ON listings BEGIN
  INSERT INTO listings_fts (listings_fts, rowid, title_terms, description_terms)
  VALUES ('delete', old.n, old.title_terms, old.description_terms); END""",
    """CREATE TRIGGER IF NOT EXISTS listings_fts_update
  AFTER UPDATE OF title_terms, description_terms ON listings BEGIN
  INSERT INTO listings_fts (listings_fts, rowid, title_terms, description_terms)
  VALUES ('delete', old.n, old.title_terms, old.description_terms);
  INSERT INTO listings_fts (rowid, title_terms, description_terms)
  VALUES (new.n, new.title_terms, new.description_terms); END""",
    """CREATE TABLE IF NOT EXISTS findings (
  n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, listing_id TEXT NOT NULL,
  asset_id TEXT NOT NULL, owner TEXT NOT NULL, marketplace TEXT NOT NULL, risk REAL NOT NULL,
  flagged INTEGER NOT NULL, signals TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
  status TEXT NOT NULL, seller_id TEXT, seller_name TEXT, seller_key TEXT, title TEXT NOT NULL,
  url TEXT NOT NULL, registration_number TEXT, snapshot_ids TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1, title_terms TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX IF NOT EXISTS findings_risk ON findings(risk DESC, id)",
    "CREATE INDEX IF NOT EXISTS findings_asset ON findings(asset_id)",
    "CREATE INDEX IF NOT EXISTS findings_listing ON findings(listing_id)",
    # The queue: a tenant's findings by status in risk order, and a first-seen range.
    "CREATE INDEX IF NOT EXISTS findings_owner ON findings(owner, risk DESC, id)",
    "CREATE INDEX IF NOT EXISTS findings_owner_status ON findings(owner, status, risk DESC, id)",
    "CREATE INDEX IF NOT EXISTS findings_status ON findings(status, risk DESC, id)",
    "CREATE INDEX IF NOT EXISTS findings_created ON findings(created)",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS findings_fts USING fts5(
  title_terms, content = 'findings', content_rowid = 'n', {_FTS})""",
    """CREATE TRIGGER IF NOT EXISTS findings_fts_insert AFTER INSERT ON findings BEGIN
  INSERT INTO findings_fts (rowid, title_terms) VALUES (new.n, new.title_terms); END""",
    """CREATE TRIGGER IF NOT EXISTS findings_fts_delete AFTER DELETE ON findings BEGIN
  INSERT INTO findings_fts (findings_fts, rowid, title_terms)
  VALUES ('delete', old.n, old.title_terms); END""",
    """CREATE TRIGGER IF NOT EXISTS findings_fts_update AFTER UPDATE OF title_terms ON findings
  BEGIN
  INSERT INTO findings_fts (findings_fts, rowid, title_terms)
  VALUES ('delete', old.n, old.title_terms);
  INSERT INTO findings_fts (rowid, title_terms) VALUES (new.n, new.title_terms); END""",
    """CREATE TABLE IF NOT EXISTS finding_events (
  n INTEGER PRIMARY KEY AUTOINCREMENT, finding_id TEXT NOT NULL, at TEXT NOT NULL,
  actor TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL, reason TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS finding_events_finding ON finding_events(finding_id, n)",
    """CREATE TABLE IF NOT EXISTS snapshots (
  id TEXT PRIMARY KEY, finding_ids TEXT NOT NULL, listing_id TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL, ledger_seq INTEGER NOT NULL, captured_at TEXT NOT NULL,
  url TEXT NOT NULL, artifacts TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, trigger TEXT NOT NULL, started TEXT NOT NULL,
  finished TEXT, counters TEXT NOT NULL, status TEXT NOT NULL, resumed_from TEXT)""",
)

SELLERS = (
    """CREATE TABLE IF NOT EXISTS sellers (
  n INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, marketplace TEXT NOT NULL, id TEXT,
  name TEXT, name_folded TEXT, url TEXT, contacts TEXT NOT NULL DEFAULT '{}', first_seen TEXT,
  last_seen TEXT)""",
    "CREATE INDEX IF NOT EXISTS sellers_marketplace ON sellers(marketplace, key)",
    "CREATE INDEX IF NOT EXISTS sellers_id ON sellers(id)",
    "CREATE INDEX IF NOT EXISTS sellers_name ON sellers(name_folded)",
)


def _kinds(signals: str, n: str, tables: str = "") -> str:
    """SELECT (kind, finding n) for each distinct string ``kind`` in a finding's signals (a JSON
    list of objects); ``fullkey`` paths keep malformed elements from raising or matching."""
    return f"""SELECT DISTINCT json_extract({signals}, fullkey || '.kind'), {n}
  FROM {tables}json_each(CASE WHEN json_valid({signals}) THEN {signals} ELSE '[]' END)
  WHERE json_type({signals}, fullkey || '.kind') = 'text'"""  # noqa: S608 (our names only)


SIGNALS = (
    """CREATE TABLE IF NOT EXISTS finding_signals (
  kind TEXT NOT NULL, finding_n INTEGER NOT NULL, PRIMARY KEY (kind, finding_n)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS finding_signals_finding ON finding_signals(finding_n)",
    f"""CREATE TRIGGER IF NOT EXISTS finding_signals_insert AFTER INSERT ON findings BEGIN
  INSERT OR IGNORE INTO finding_signals (kind, finding_n)
  {_kinds("new.signals", "new.n")}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS finding_signals_update AFTER UPDATE OF signals ON findings
  BEGIN
  DELETE FROM finding_signals WHERE finding_n = old.n;
  INSERT OR IGNORE INTO finding_signals (kind, finding_n)
  {_kinds("new.signals", "new.n")}; END""",  # noqa: S608
    """CREATE TRIGGER IF NOT EXISTS finding_signals_delete AFTER DELETE ON findings BEGIN
  DELETE FROM finding_signals WHERE finding_n = old.n; END""",
)

NOTICES = (
    """CREATE TABLE IF NOT EXISTS notices (
  n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL,
  marketplace TEXT NOT NULL, template TEXT NOT NULL, state TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL, created_by TEXT NOT NULL,
  sha256 TEXT NOT NULL, data TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1)""",
    "CREATE INDEX IF NOT EXISTS notices_owner ON notices(owner, created DESC, id)",
    "CREATE INDEX IF NOT EXISTS notices_created ON notices(created DESC, id)",
    """CREATE TABLE IF NOT EXISTS notice_events (
  n INTEGER PRIMARY KEY AUTOINCREMENT, notice_id TEXT NOT NULL, at TEXT NOT NULL,
  actor TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS notice_events_notice ON notice_events(notice_id, n)",
    """CREATE TABLE IF NOT EXISTS webhook_deliveries (
  n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, created TEXT NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_created ON webhook_deliveries(created DESC)",
)

STATES = (
    """CREATE TABLE IF NOT EXISTS listing_states (
  run_id TEXT NOT NULL, listing_id TEXT NOT NULL, marketplace TEXT NOT NULL, state TEXT NOT NULL,
  at TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', PRIMARY KEY (run_id, listing_id))
  WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS listing_states_listing ON listing_states(listing_id, at, run_id)",
)

# Columns version 1 had; copied as they are when upgrading.
_V1_LISTING = (
    "id, marketplace, url, title, content_hash, first_seen, last_seen, description, price, "
    "currency, seller_id, seller_name, seller_url, item_id, data"
)
_V1_FINDING = (
    "id, listing_id, asset_id, owner, marketplace, risk, flagged, signals, created, updated, "
    "status, seller_id, seller_name, seller_key, title, url, registration_number, snapshot_ids"
)
_V1_INDEXES = ("listings_marketplace", "findings_risk", "findings_asset", "findings_listing")


def prepare(db: sqlite3.Connection, path: str) -> None:
    """Create the tables of a new file or upgrade an old one; refuse a file from a newer ipwatch."""
    db.create_function("ipwatch_terms", 1, terms, deterministic=True)
    _refuse_newer(db, path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("BEGIN IMMEDIATE")  # another process may be preparing the same file
    try:
        version = _refuse_newer(db, path)
        if version == 0 and _has_table(db, "findings"):
            version = 1  # version 1 set user_version after creating its tables
        if version == 1:
            _move_v1_aside(db)
        for statement in SCHEMA:
            db.execute(statement)
        if version == 1:
            _copy_v1(db)
        for statement in SELLERS:
            db.execute(statement)
        if version < 3:
            _sellers_v3(db)
        for statement in SIGNALS:
            db.execute(statement)
        if version < 4:
            _signals_v4(db)
        for statement in NOTICES:  # version 5: new tables only, nothing to backfill
            db.execute(statement)
        for statement in STATES:  # version 6: a new table only, nothing to backfill
            db.execute(statement)
        if not _has_column(db, "runs", "resumed_from"):  # version 7
            db.execute("ALTER TABLE runs ADD COLUMN resumed_from TEXT")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.rollback()
        raise
    db.commit()


def check_readable(db: sqlite3.Connection, path: str) -> None:
    """A file opened read-only cannot be upgraded: it must already have this version's tables."""
    db.create_function("ipwatch_terms", 1, terms, deterministic=True)
    try:
        version = _refuse_newer(db, path)
    except sqlite3.DatabaseError as exc:
        raise IndexConfigError(f"{path} cannot be read as an ipwatch index: {exc}") from None
    if version != SCHEMA_VERSION:
        raise IndexConfigError(
            f"{path} has the schema of an older ipwatch (version {version}) and is read-only, so "
            "it cannot be upgraded in place; run ipwatch once on a writable copy of the folder"
        )


def _signals_v4(db: sqlite3.Connection) -> None:
    """Fill ``finding_signals`` for the findings written before the triggers existed."""
    db.execute(
        "INSERT OR IGNORE INTO finding_signals (kind, finding_n) "
        + _kinds("findings.signals", "findings.n", "findings, ")
    )


def _refuse_newer(db: sqlite3.Connection, path: str) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise IndexConfigError(
            f"{path} was written by a newer ipwatch (schema {version}); upgrade ipwatch"
        )
    return version


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone() is not None


def _has_column(db: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in db.execute(f"PRAGMA table_info({table})"))


def _move_v1_aside(db: sqlite3.Connection) -> None:
    for index in _V1_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {index}")
    db.execute("ALTER TABLE listings RENAME TO listings_v1")
    db.execute("ALTER TABLE findings RENAME TO findings_v1")


def _copy_v1(db: sqlite3.Connection) -> None:
    """Copy rows into the new tables; the insert triggers fill the full-text indexes."""
    db.execute(
        f"INSERT INTO listings ({_V1_LISTING}, title_terms, description_terms) "  # noqa: S608
        f"SELECT {_V1_LISTING}, ipwatch_terms(title), ipwatch_terms(description) "
        "FROM listings_v1 ORDER BY rowid"
    )
    db.execute(
        f"INSERT INTO findings ({_V1_FINDING}, title_terms) "  # noqa: S608
        f"SELECT {_V1_FINDING}, ipwatch_terms(title) FROM findings_v1 ORDER BY rowid"
    )
    db.execute("DROP TABLE listings_v1")
    db.execute("DROP TABLE findings_v1")


def _seller_from_columns(
    marketplace: str, ident: str | None, name: str | None, url: str | None
) -> tuple[str, dict[str, object]] | None:
    """The key and row a version 2 listing's or finding's seller columns stand for."""
    if not (ident or name or url):
        return None
    key = seller_key(marketplace, ident, name, url)
    contacts = normalise_contacts({"store_url": url})
    return key, {
        "key": key,
        "marketplace": marketplace,
        "id": ident,
        "name": name,
        "name_folded": fold_name(name),
        "url": url,
        "contacts": json.dumps(contacts, sort_keys=True),
    }


def _sellers_v3(db: sqlite3.Connection) -> None:
    """Backfill ``sellers`` from the copied seller columns, point rows at them, drop the copies."""
    sellers: dict[str, dict[str, object]] = {}

    def keep(found: tuple[str, dict[str, object]] | None, first: str, last: str) -> str | None:
        if found is None:
            return None
        key, row = found
        known = sellers.setdefault(key, {**row, "first_seen": first, "last_seen": last})
        known["first_seen"] = min(str(known["first_seen"]), first)
        if last >= str(known["last_seen"]):  # the latest sighting names the seller
            known.update({k: v for k, v in row.items() if v is not None}, last_seen=last)
        return key

    db.execute("ALTER TABLE listings ADD COLUMN seller_key TEXT")
    listing_keys: dict[str, str | None] = {}
    rows = db.execute(
        "SELECT n, id, marketplace, seller_id, seller_name, seller_url, first_seen, last_seen "
        "FROM listings ORDER BY n"
    ).fetchall()
    for n, listing_id, marketplace, ident, name, url, first, last in rows:
        key = keep(_seller_from_columns(marketplace, ident, name, url), first, last)
        listing_keys[listing_id] = key
        if key is not None:
            db.execute("UPDATE listings SET seller_key = ? WHERE n = ?", (key, n))
    rows = db.execute(
        "SELECT n, listing_id, marketplace, seller_id, seller_name, created, updated "
        "FROM findings ORDER BY n"
    ).fetchall()
    for n, listing_id, marketplace, ident, name, created, updated in rows:
        key = listing_keys.get(listing_id)  # the listing's seller, URL-only ones included
        if key is None:
            key = keep(_seller_from_columns(marketplace, ident, name, None), created, updated)
        db.execute("UPDATE findings SET seller_key = ? WHERE n = ?", (key, n))
    for row in sellers.values():
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        db.execute(f"INSERT INTO sellers ({cols}) VALUES ({marks})", row)  # noqa: S608
    for table, column in (
        ("listings", "seller_id"),
        ("listings", "seller_name"),
        ("listings", "seller_url"),
        ("findings", "seller_id"),
        ("findings", "seller_name"),
    ):
        db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    db.execute("CREATE INDEX IF NOT EXISTS listings_seller ON listings(seller_key)")
    db.execute("CREATE INDEX IF NOT EXISTS findings_seller ON findings(seller_key)")
