"""Mail an event (a new flagged finding, a reappearance, an overdue notice...) to the team.

The same events and data as the webhooks, as plain text through the operator's SMTP server.
Listing text is hostile: every header value is folded to one printable line (no header
injection), the body is text/plain, and the connection goes to the address the address rule
checked (a host that resolves to a private address is refused unless allowed). A mail that
cannot be sent is logged and never fails the action it reports.
"""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any

from netguard.policy import AddressPolicy

if TYPE_CHECKING:
    from config.email import EmailSettings
    from ipwatch.services.workspace import Workspace

logger = logging.getLogger(__name__)

MAX_SUBJECT = 200
MAX_VALUE = 2000
SUBJECT_FIELDS = ("title", "notice_id", "marketplace", "finding_id")


def one_line(text: object, limit: int = MAX_VALUE) -> str:
    """Printable characters on one line: what may go into a header or a body line."""
    flat = "".join(c if c.isprintable() else " " for c in str(text))
    return " ".join(flat.split())[:limit]


def message(settings: EmailSettings, event: str, data: dict[str, Any]) -> EmailMessage:
    about = next((data[k] for k in SUBJECT_FIELDS if data.get(k)), "")
    mail = EmailMessage()
    mail["Subject"] = one_line(f"[ipwatch] {event}: {about}", MAX_SUBJECT)
    mail["From"] = settings.sender
    mail["To"] = ", ".join(settings.recipients)
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1])
    mail["X-Ipwatch-Event"] = one_line(event, 100)
    lines = [f"ipwatch event {one_line(event, 100)}", ""]
    for key in sorted(data):
        value = data[key]
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{one_line(key, 100)}: {one_line(shown)}")
    mail.set_content("\n".join(lines) + "\n", subtype="plain", charset="utf-8")
    return mail


class _PinnedSMTP(smtplib.SMTP):
    """Connects to the checked address; TLS still verifies the certificate for the host name."""

    address = ""

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection((self.address, port), timeout)


class _PinnedSMTPSSL(smtplib.SMTP_SSL):
    address = ""

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        raw = socket.create_connection((self.address, port), timeout)
        return self.context.wrap_socket(raw, server_hostname=host)


def send(settings: EmailSettings, mail: EmailMessage) -> None:
    """One delivery attempt; OSError/SMTPException/ValueError say why it failed."""
    # the address rule judges URLs; an explicit port makes HOST:PORT allowances exact
    target = f"http://{settings.host}:{settings.port}/"
    addresses, reason = AddressPolicy.from_hosts(settings.allowed_private_hosts).check(target)
    if reason is not None or not addresses:
        raise ValueError(f"SMTP server {settings.host}: {reason or 'does not resolve'}")
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = _PinnedSMTPSSL(timeout=settings.timeout_seconds, context=context)
    else:
        client = _PinnedSMTP(timeout=settings.timeout_seconds)
    client.address = addresses[0]
    with client:
        client.connect(settings.host, settings.port)
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password())
        client.send_message(mail)


def mail_event(workspace: Workspace, event: str, data: dict[str, Any]) -> bool:
    """Mail ``event`` if e-mail is configured and wants it; True when the server took it."""
    settings = workspace.config.email
    if settings is None or event not in settings.events or workspace.read_only:
        return False
    try:
        send(settings, message(settings, event, data))
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        logger.warning("e-mail for %s not sent: %s", event, one_line(exc, 300))
        return False
    return True
