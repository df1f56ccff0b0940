"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for reading emails back in tests."""
from __future__ import annotations

import asyncio
import email
import time
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

from devtools.pgserver import _free_port as free_port  # one way to pick a loopback port, shared


@dataclass
class Received:
    rcpt_tos: list[str]
    message: Message
    at: float = field(default_factory=time.time)  # when the server accepted it (bench/bench_decisions.py)

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @property
    def attachments(self) -> dict[str, bytes]:
        return {p.get_filename(): p.get_payload(decode=True) for p in self.message.iter_attachments()}

    @property
    def key(self) -> str:
        return str(self.message["X-Netra-Key"])


class MailSink:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.delay = 0.0  # seconds a message is held before it is accepted: a slow server (bench/drill_faults.py)
        self.in_progress = 0  # messages being held now

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        if self.delay:
            self.in_progress += 1
            try:
                await asyncio.sleep(self.delay)
            finally:
                self.in_progress -= 1
        self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 OK"

    def start(self) -> MailSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def wait_for(self, predicate, timeout: float = 60.0) -> list[Received]:
        """Messages matching `predicate`, waiting up to `timeout` seconds for at least one."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.received if predicate(m)]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.25)
