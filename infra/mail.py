"""Outgoing mail: SMTP when CODEQUEST_SMTP_URL is set, else files in the outbox dir."""

from __future__ import annotations

import smtplib
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

import structlog

log = structlog.get_logger()
SENDER = "CodeQuest <no-reply@codequest.local>"


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


def _message(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = SENDER, to, subject
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@codequest.local>"
    msg.set_content(body)
    return msg


class SmtpMailer:
    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 25
        self.user, self.password = parsed.username, parsed.password
        self.tls = parsed.scheme == "smtps"

    def send(self, to: str, subject: str, body: str) -> None:
        cls = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with cls(self.host, self.port, timeout=10) as smtp:
            if self.user and self.password:
                smtp.login(self.user, self.password)
            smtp.send_message(_message(to, subject, body))
        log.info("mail_sent", to=to, subject=subject)


class OutboxMailer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, to: str, subject: str, body: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(_message(to, subject, body)))
        log.info("mail_written", to=to, subject=subject, path=str(path))


def build_mailer(smtp_url: str | None, outbox: Path) -> Mailer:
    return SmtpMailer(smtp_url) if smtp_url else OutboxMailer(outbox)
