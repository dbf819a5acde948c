"""One thin adapter over opensearch-py and the elasticsearch client, picked by ``GET /``."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

from store.elastic.errors import translate
from store.exceptions import BackendNotInstalledError, IndexConfigError

if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_PREFIX = "ipwatch"
DEFAULT_TIMEOUT = 30.0
# Renames from REST body keys to the elasticsearch client's keyword arguments.
_ES_KWARGS = {"from": "from_", "_source": "source", "_meta": "meta"}


@dataclass(frozen=True)
class Settings:
    """Where the cluster is and how to log in, from the URL, the arguments and the environment."""

    host: str  # scheme://host:port/path without credentials or query
    prefix: str = DEFAULT_PREFIX
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    ca_certs: str | None = None
    verify_certs: bool = True
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 2


def parse_url(
    url: str,
    *,
    api_key: str | None = None,
    username: str | None = None,
    password: str | None = None,
    ca_certs: str | None = None,
    verify_certs: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    max_retries: int = 2,
    env: dict[str, str] | None = None,
) -> Settings:
    """Arguments win over URL userinfo, which wins over ``IPWATCH_INDEX_*`` variables."""
    env = dict(os.environ) if env is None else env
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IndexConfigError(
            f"{url!r} is not an Elasticsearch/OpenSearch URL; write http(s)://host:9200"
        )
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"prefix"})
    if unknown:
        raise IndexConfigError(
            f"{url!r} has unknown option(s) {', '.join(unknown)}; the only URL option is ?prefix="
        )
    prefix = query.get("prefix", [DEFAULT_PREFIX])[-1]
    if not prefix or prefix != prefix.lower() or not all(c.isalnum() or c in "-_" for c in prefix):
        raise IndexConfigError(
            f"index prefix {prefix!r} must be lowercase letters, digits, '-' or '_' "
            "(index names are lowercase)"
        )
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    port = parts.port or (443 if parts.scheme == "https" else 9200)
    host = f"{parts.scheme}://{netloc}:{port}{parts.path.rstrip('/')}"
    user = username or (unquote(parts.username) if parts.username else None)
    user = user or env.get("IPWATCH_INDEX_USERNAME") or None
    pwd = password or (unquote(parts.password) if parts.password else None)
    pwd = pwd or env.get("IPWATCH_INDEX_PASSWORD") or None
    key = api_key or env.get("IPWATCH_INDEX_API_KEY") or None
    if key and user:
        raise IndexConfigError(
            "both an API key and a username are configured for the index; keep one "
            "(IPWATCH_INDEX_API_KEY or IPWATCH_INDEX_USERNAME/IPWATCH_INDEX_PASSWORD)"
        )
    return Settings(
        host=host,
        prefix=prefix,
        api_key=key,
        username=user,
        password=pwd,
        ca_certs=ca_certs or env.get("IPWATCH_INDEX_CA_CERTS") or None,
        verify_certs=verify_certs,
        timeout=timeout,
        max_retries=max_retries,
    )


def _opensearch_client(s: Settings) -> Any:
    from opensearchpy import OpenSearch

    kwargs: dict[str, Any] = {
        "hosts": [s.host],
        "timeout": s.timeout,
        "max_retries": s.max_retries,
        "retry_on_timeout": True,
        "retry_on_status": (429, 502, 503, 504),
        "verify_certs": s.verify_certs,
    }
    if s.ca_certs:
        kwargs["ca_certs"] = s.ca_certs
    if s.username:
        kwargs["http_auth"] = (s.username, s.password or "")
    if s.api_key:
        kwargs["headers"] = {"authorization": f"ApiKey {s.api_key}"}
    return OpenSearch(**kwargs)


def _elasticsearch_client(s: Settings) -> Any:
    try:
        from elasticsearch import Elasticsearch
    except ImportError:
        raise BackendNotInstalledError(
            f"{s.host} is an Elasticsearch cluster and the elasticsearch client is not "
            "installed; run: pip install 'ipwatch[elasticsearch]'"
        ) from None
    kwargs: dict[str, Any] = {
        "hosts": [s.host],
        "request_timeout": s.timeout,
        "max_retries": s.max_retries,
        "retry_on_timeout": True,
        "retry_on_status": (429, 502, 503, 504),
        "verify_certs": s.verify_certs,
    }
    if s.ca_certs:
        kwargs["ca_certs"] = s.ca_certs
    if s.username:
        kwargs["basic_auth"] = (s.username, s.password or "")
    if s.api_key:
        kwargs["api_key"] = s.api_key
    return Elasticsearch(**kwargs)


def _failure(exc: Exception) -> tuple[int | None, Any] | None:
    """(status, body) of a client exception from either library; None if it is not one."""
    try:
        from opensearchpy.exceptions import TransportError as OsTransportError
    except ImportError:  # pragma: no cover - opensearch-py is a hard dependency
        OsTransportError = ()  # type: ignore[assignment,misc]
    if isinstance(exc, OsTransportError):
        status = exc.status_code if isinstance(exc.status_code, int) else None
        return status, exc.info if status else repr(exc)
    try:
        from elastic_transport import TransportError as EsTransportError
        from elasticsearch import ApiError
    except ImportError:
        return None
    if isinstance(exc, ApiError):
        return exc.meta.status, exc.body
    if isinstance(exc, EsTransportError):
        return None, repr(exc)
    return None


class Adapter:
    """The handful of cluster operations the index uses, one signature for both clients."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._client: Any = None
        self.distribution: str | None = None  # "opensearch" | "elasticsearch" once probed
        self.version: str | None = None

    @property
    def prefix(self) -> str:
        return self.settings.prefix

    def _call(self, where: str, fn: Callable[..., Any], /, **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except Exception as exc:
            failure = _failure(exc)
            if failure is None:
                raise
            raise translate(*failure, f"{where} on {self.settings.host}") from exc

    def _answer(self, where: str, fn: Callable[..., Any], /, **kwargs: Any) -> dict[str, Any]:
        """A call whose answer is a JSON object; the clients are untyped, this says what it is."""
        return cast("dict[str, Any]", self._call(where, fn, **kwargs))

    def _ready(self) -> Any:
        """Probe ``GET /`` once and keep the client that speaks the server's dialect."""
        with self._lock:
            if self._client is None:
                probe = _opensearch_client(self.settings)
                info = self._call("GET /", probe.info)
                version = info.get("version", {})
                self.version = str(version.get("number", ""))
                if version.get("distribution") == "opensearch":
                    self.distribution, self._client = "opensearch", probe
                else:
                    probe.close()
                    self.distribution = "elasticsearch"
                    self._client = _elasticsearch_client(self.settings)
            return self._client

    @property
    def _es(self) -> bool:
        return self.distribution == "elasticsearch"

    def _body(self, body: dict[str, Any]) -> dict[str, Any]:
        """opensearch-py takes ``body=``; the elasticsearch client takes the keys as kwargs."""
        if self._es:
            return {_ES_KWARGS.get(k, k): v for k, v in body.items()}
        return {"body": body}

    # documents
    def info(self) -> dict[str, Any]:
        return self._answer("GET /", self._ready().info)

    def index(
        self,
        index: str,
        doc_id: str,
        document: dict[str, Any],
        *,
        op_type: str | None = None,
        if_seq_no: int | None = None,
        if_primary_term: int | None = None,
    ) -> dict[str, Any]:
        c = self._ready()
        kw: dict[str, Any] = {"index": index, "id": doc_id}
        kw.update({"document": document} if self._es else {"body": document})
        for name, value in (
            ("op_type", op_type),
            ("if_seq_no", if_seq_no),
            ("if_primary_term", if_primary_term),
        ):
            if value is not None:
                kw[name] = value
        return self._answer(f"index {index}/{doc_id}", c.index, **kw)

    def update(
        self,
        index: str,
        doc_id: str,
        body: dict[str, Any],
        *,
        if_seq_no: int | None = None,
        if_primary_term: int | None = None,
        retry_on_conflict: int | None = None,
    ) -> dict[str, Any]:
        """``body`` is the REST update body: script, upsert, doc, _source."""
        c = self._ready()
        kw: dict[str, Any] = {"index": index, "id": doc_id, **self._body(body)}
        for name, value in (
            ("if_seq_no", if_seq_no),
            ("if_primary_term", if_primary_term),
            ("retry_on_conflict", retry_on_conflict),
        ):
            if value is not None:
                kw[name] = value
        return self._answer(f"update {index}/{doc_id}", c.update, **kw)

    def get(self, index: str, doc_id: str) -> dict[str, Any] | None:
        """The document with ``_seq_no``/``_primary_term``, or None; realtime, no refresh needed."""
        from store.exceptions import RecordNotFoundError

        try:
            return self._answer(f"get {index}/{doc_id}", self._ready().get, index=index, id=doc_id)
        except RecordNotFoundError:
            return None

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        c = self._ready()
        return self._answer(f"search {index}", c.search, index=index, **self._body(body))

    def count(self, index: str, query: dict[str, Any]) -> int:
        c = self._ready()
        out = self._call(f"count {index}", c.count, index=index, **self._body({"query": query}))
        return int(out["count"])

    def mget(self, index: str, ids: list[str], fields: list[str]) -> list[dict[str, Any]]:
        """Realtime multi-get of a few source fields, with ``_seq_no``/``_primary_term``."""
        c = self._ready()
        kw: dict[str, Any] = {"ids": ids} if self._es else {"body": {"ids": ids}}
        key = "source_includes" if self._es else "_source_includes"
        answer = self._call(f"mget {index}", c.mget, index=index, **kw, **{key: fields})
        return list(answer.get("docs", []))

    def bulk(self, operations: list[dict[str, Any]]) -> dict[str, Any]:
        """Action and source lines as dicts; per-item errors are in the answer, not raised."""
        c = self._ready()
        kw = {"operations": operations} if self._es else {"body": operations}
        return self._answer("bulk", c.bulk, **kw)

    # indices, templates, aliases
    def refresh(self, index: str) -> None:
        self._call(f"refresh {index}", self._ready().indices.refresh, index=index)

    def put_index_template(self, name: str, body: dict[str, Any]) -> None:
        c = self._ready()
        self._call(
            f"put template {name}", c.indices.put_index_template, name=name, **self._body(body)
        )

    def index_template_version(self, name: str) -> int | None:
        from store.exceptions import RecordNotFoundError

        try:
            out = self._call(
                f"get template {name}", self._ready().indices.get_index_template, name=name
            )
        except RecordNotFoundError:
            return None
        found = out.get("index_templates", [])
        return found[0]["index_template"].get("version") if found else None

    def create_index(self, name: str, body: dict[str, Any]) -> None:
        c = self._ready()
        self._call(f"create index {name}", c.indices.create, index=name, **self._body(body))

    def alias_indices(self, alias: str) -> list[str]:
        """Concrete indices behind an alias; empty when the alias does not exist."""
        from store.exceptions import RecordNotFoundError

        try:
            out = self._call(f"get alias {alias}", self._ready().indices.get_alias, name=alias)
        except RecordNotFoundError:
            return []
        return sorted(dict(out))

    def index_exists(self, name: str) -> bool:
        return bool(self._call(f"exists {name}", self._ready().indices.exists, index=name))

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        c = self._ready()
        self._call("update aliases", c.indices.update_aliases, **self._body({"actions": actions}))

    def put_settings(self, index: str, settings: dict[str, Any]) -> None:
        c = self._ready()
        kw = {"settings": settings} if self._es else {"body": settings}
        self._call(f"put settings {index}", c.indices.put_settings, index=index, **kw)

    def reindex(self, source: str, dest: str) -> dict[str, Any]:
        """Copy every document, waiting for the end; ``created`` + ``updated`` must equal total."""
        body = {"source": {"index": source}, "dest": {"index": dest}}
        c = self._ready()
        return self._answer(
            f"reindex {source} -> {dest}",
            c.reindex,
            wait_for_completion=True,
            refresh=True,
            **self._body(body),
        )

    def delete_indices(self, pattern: str) -> None:
        """Drop indices by name or wildcard (test clean-up, never used on live data)."""
        c = self._ready()
        self._call(f"delete {pattern}", c.indices.delete, index=pattern)

    def delete_index_templates(self, pattern: str) -> None:
        """Drop index templates by name or wildcard (test clean-up)."""
        c = self._ready()
        self._call(f"delete template {pattern}", c.indices.delete_index_template, name=pattern)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def connect(
    url: str,
    *,
    api_key: str | None = None,
    username: str | None = None,
    password: str | None = None,
    ca_certs: str | None = None,
    verify_certs: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    max_retries: int = 2,
) -> Adapter:
    """An adapter for the cluster at ``url``; it probes the server on first use, not here."""
    return Adapter(
        parse_url(
            url,
            api_key=api_key,
            username=username,
            password=password,
            ca_certs=ca_certs,
            verify_certs=verify_certs,
            timeout=timeout,
            max_retries=max_retries,
        )
    )
