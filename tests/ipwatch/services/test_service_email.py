"""E-mail notifications against a real SMTP server on 127.0.0.1 (aiosmtpd): the events the
webhooks send, as plain text; hostile listing text cannot add headers or recipients; the
password comes from the environment; a failure never fails the action it reports."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import ValidationError

from config.email import EmailSettings
from ipwatch.services.webhooks import emit
from tests.ipwatch.services.notice_setup import notices_workspace
from tests.support import free_port

HOSTILE = "NOVAFLEX runner\r\nBcc: everyone@evil.example\r\n\r\n=cmd|' /C calc'!A0"


class Inbox:
    """Keeps every message the server accepted, with its envelope."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "mail": email.message_from_bytes(envelope.content, policy=default_policy),
                "login": session.authenticated,
            }
        )
        return "250 OK"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and data.login == b"ipw" and data.password == b"s3cret"
    return AuthResult(success=ok)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    server = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    server.start()
    yield inbox, port
    server.stop()


def settings(port: int, **kw: Any) -> EmailSettings:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "sender": "ipwatch@acme.example",
        "recipients": ["legal@acme.example"],
        "allowed_private_hosts": [f"127.0.0.1:{port}"],
    }
    values.update(kw)
    return EmailSettings(**values)


def workspace_with(tmp_path, mail: EmailSettings):
    ws = notices_workspace(tmp_path / "home")
    ws.config = ws.config.model_copy(update={"email": mail})
    return ws


def test_flagged_finding_is_mailed_as_plain_text(tmp_path, smtp) -> None:
    inbox, port = smtp
    ws = workspace_with(tmp_path, settings(port))
    emit(ws, "finding.flagged", {"finding_id": "F-1", "title": "N0VAFLEX runner", "risk": 0.9})
    emit(ws, "finding.decision", {"finding_id": "F-1"})  # not among the mailed events
    (got,) = inbox.messages
    mail = got["mail"]
    assert got["to"] == ["legal@acme.example"] and got["from"] == "ipwatch@acme.example"
    assert mail["Subject"] == "[ipwatch] finding.flagged: N0VAFLEX runner"
    assert mail["X-Ipwatch-Event"] == "finding.flagged"
    body = mail.get_content()
    assert "finding_id: F-1" in body and "risk: 0.9" in body
    assert mail.get_content_type() == "text/plain"
    ws.close()


def test_header_injection_in_a_listing_title_adds_no_header_or_recipient(tmp_path, smtp) -> None:
    inbox, port = smtp
    ws = workspace_with(tmp_path, settings(port))
    emit(ws, "finding.reappeared", {"title": HOSTILE, "notice_id": "N-1"})
    (got,) = inbox.messages
    mail = got["mail"]
    assert got["to"] == ["legal@acme.example"]  # no Bcc smuggled into the envelope
    assert mail["Bcc"] is None
    assert "\n" not in mail["Subject"] and "Bcc: everyone@evil.example" in mail["Subject"]
    body_lines = mail.get_content().splitlines()
    assert sum(line.startswith("title: ") for line in body_lines) == 1  # one line, not three
    ws.close()


def test_login_with_the_password_from_the_environment(tmp_path, smtp, monkeypatch) -> None:
    inbox, port = smtp
    ws = workspace_with(tmp_path, settings(port, username="ipw", password_env="IPW_SMTP_PASS"))
    monkeypatch.delenv("IPW_SMTP_PASS", raising=False)
    emit(ws, "notice.overdue", {"notice_id": "N-1"})  # unset variable: logged, not sent
    assert inbox.messages == []
    monkeypatch.setenv("IPW_SMTP_PASS", "s3cret")
    emit(ws, "notice.overdue", {"notice_id": "N-1"})
    (got,) = inbox.messages
    assert got["login"] is True
    ws.close()


def test_smtp_server_on_a_private_address_is_refused_unless_allowed(tmp_path, smtp) -> None:
    inbox, port = smtp
    ws = workspace_with(tmp_path, settings(port, allowed_private_hosts=[]))
    emit(ws, "finding.flagged", {"title": "x"})
    assert inbox.messages == []
    ws.close()


def test_an_unreachable_server_never_fails_the_action(tmp_path, caplog) -> None:
    port = free_port()  # nothing listens here
    ws = workspace_with(tmp_path, settings(port, timeout_seconds=2))
    assert emit(ws, "finding.flagged", {"title": "x"}) == []
    assert "e-mail for finding.flagged not sent" in caplog.text
    ws.close()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("recipients", ["a@b.example\r\nBcc: c@d.example"], "not one plain e-mail address"),
        ("sender", "a@b.example, c@d.example", "not one plain e-mail address"),
        ("username", "ipw", "give both username and password_env"),
    ],
)
def test_settings_refuse_smuggled_addresses_and_half_logins(field, value, message) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(25, **{field: value})
