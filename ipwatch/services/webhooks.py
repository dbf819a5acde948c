"""Actioner hooks: each event POSTed as signed JSON to the configured targets, with retries and
a stored delivery log.

Signature (documented in the README): header ``X-Ipwatch-Signature: t=<unix seconds>,v1=<hex>``
where ``<hex>`` is HMAC-SHA256 with the target's secret over ``<t>.`` followed by the exact body
bytes; ``X-Ipwatch-Event`` names the event and ``X-Ipwatch-Delivery`` the delivery id. A
receiver recomputes the HMAC, compares in constant time and refuses an old ``t`` (replays).

A target on a private, loopback or link-local address is refused (stored as ``refused``, never
sent) unless ``webhooks.allowed_private_hosts`` names it: the crawl's own rule
(``netguard.policy.AddressPolicy``), and the connection goes to the address that was checked.
Redirects are not followed. A failed delivery never fails the action that caused it.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import secrets
import socket
import ssl
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ipwatch.services.email_notify import mail_event
from ipwatch.services.errors import ForbiddenError
from model.notices import DeliveryStatus, WebhookDelivery
from netguard.policy import AddressPolicy

if TYPE_CHECKING:
    from collections.abc import Callable

    from config.enforcement import WebhookSettings, WebhookTarget
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Ipwatch-Signature"
MAX_RESPONSE = 64 * 1024  # bytes of a receiver's answer read (and dropped)
MAX_ERROR = 500


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def check_signature(secret: bytes, header: str, body: bytes, now: int, tolerance: int) -> bool:
    """What a receiver does: the MAC matches and ``t`` is within ``tolerance`` seconds."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    stamp = fields.get("t", "")
    if not stamp.isdigit() or abs(now - int(stamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(stamp), body), header)


def list_deliveries(
    workspace: Workspace, principal: Principal, limit: int = 100
) -> list[WebhookDelivery]:
    """The delivery log, newest first (operators only: targets and bodies span every owner)."""
    principal.require("operate")
    if not principal.all_owners:
        raise ForbiddenError(
            "the webhook delivery log spans every owner; ask an admin who works for all owners"
        )
    return workspace.index.list_deliveries(limit)


class Notifier:
    """Sends events to the workspace's webhook targets; ``sleep``/``clock`` are injectable."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.workspace = workspace
        self.settings: WebhookSettings = workspace.config.webhooks
        self.sleep = sleep
        self.clock = clock

    def emit(self, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
        """Deliver ``event`` to every target that wants it; returns the stored deliveries."""
        out = []
        for target in self.settings.targets:
            if event in target.events:
                try:
                    out.append(self._deliver(target, event, data))
                except Exception:  # a hook must never undo or fail the action it reports
                    logger.exception("webhook %s to %s could not be recorded", event, target.url)
        return out

    def _deliver(self, target: WebhookTarget, event: str, data: dict[str, Any]) -> WebhookDelivery:
        created = self.clock()
        delivery_id = "D-" + secrets.token_hex(8)
        body = json.dumps(
            {"id": delivery_id, "event": event, "created": created.isoformat(), "data": data},
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        delivery = WebhookDelivery(
            id=delivery_id,
            event=event,
            target=target.url,
            created=created,
            status=DeliveryStatus.FAILED,
            attempts=0,
            body=body,
        )
        addresses, reason = AddressPolicy.from_hosts(self.settings.allowed_private_hosts).check(
            target.url
        )
        if reason is None and not addresses:
            reason = "its host does not resolve"
        if reason is not None:
            delivery.status, delivery.error = DeliveryStatus.REFUSED, f"refused: {reason}"
            delivery.finished = self.clock()
            self.workspace.index.put_delivery(delivery)
            return delivery
        wait = self.settings.backoff_seconds
        for attempt in range(1, self.settings.attempts + 1):
            delivery.attempts = attempt
            status, error = self._post(target, addresses[0], event, delivery_id, body.encode())
            delivery.response_status, delivery.error = status, error
            if status is not None and 200 <= status < 300:
                delivery.status, delivery.error = DeliveryStatus.DELIVERED, ""
                break
            retry = status is None or status == 429 or status >= 500
            if not retry or attempt == self.settings.attempts:
                break
            self.workspace.index.put_delivery(delivery)  # the log shows the attempts so far
            self.sleep(wait)
            wait *= 2
        delivery.finished = self.clock()
        self.workspace.index.put_delivery(delivery)
        return delivery

    def _post(
        self, target: WebhookTarget, address: str, event: str, delivery_id: str, body: bytes
    ) -> tuple[int | None, str]:
        """One attempt: (HTTP status or None, error sentence)."""
        parts = urlsplit(target.url)
        host = parts.hostname or ""
        timeout = self.settings.timeout_seconds
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(
                host, parts.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(host, parts.port, timeout=timeout)
        # Connect to the checked address; TLS still verifies the certificate for ``host``.
        conn._create_connection = lambda where, t, source: socket.create_connection(  # type: ignore[attr-defined]
            (address, where[1]), t, source
        )
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "ipwatch-webhook",
            "X-Ipwatch-Event": event,
            "X-Ipwatch-Delivery": delivery_id,
            SIGNATURE_HEADER: signature(target.key(), int(self.clock().timestamp()), body),
        }
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read(MAX_RESPONSE)
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            return None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
        except ValueError as exc:  # the secret's environment variable is unset
            return None, str(exc)[:MAX_ERROR]
        finally:
            conn.close()
        return status, "" if 200 <= status < 300 else f"HTTP {status}"


def anyone_listens(workspace: Workspace) -> bool:
    """Is any webhook target or e-mail configured (else events need not even be gathered)?"""
    return bool(workspace.config.webhooks.targets or workspace.config.email)


def emit(workspace: Workspace, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Deliver one event now to every webhook target that wants it, and by e-mail when that is
    configured (a no-op without either)."""
    if workspace.read_only:
        return []
    mail_event(workspace, event, data)
    if not workspace.config.webhooks.targets:
        return []
    return Notifier(workspace).emit(event, data)
