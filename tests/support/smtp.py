"""A real SMTP server (aiosmtpd) on loopback that records every message."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class SmtpSink:
    port: int
    messages: list[Message] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def start(self) -> SmtpSink:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()

    def wait_for(self, to: str, subject_contains: str = "", timeout: float = 10.0) -> Message:
        """The newest message to this address (waiting for it to arrive)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for msg in reversed(self.messages):
                    if msg["To"] == to and subject_contains in (msg["Subject"] or ""):
                        return msg
            time.sleep(0.05)
        raise AssertionError(f"no mail to {to} containing {subject_contains!r}")

    def token_for(self, to: str, subject_contains: str = "", timeout: float = 10.0) -> str:
        body = self.wait_for(to, subject_contains, timeout).get_payload(decode=True)
        match = re.search(r"[?&]token=([A-Za-z0-9_\-\.~%]+)", body.decode())
        assert match, "mail carries no token= URL"
        return match.group(1)
