"""A thin wrapper over the OpenAI chat API: JSON replies, a hard time budget and a breaker."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ai.breaker import CircuitBreaker

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class AIUnavailableError(Exception):
    """The model could not answer in time: breaker open, timeout, transport or HTTP error."""


class ChatClient:
    """Sends one system + user message pair and returns the reply's text, within a budget."""

    def __init__(
        self,
        api_key: str,
        base_url: str | None,
        model: str,
        timeout_s: float = 5.0,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.model = model
        self.timeout_s = timeout_s
        self.breaker = breaker or CircuitBreaker()
        import openai  # a heavy import, paid only when a model is configured

        # An explicit base URL keeps the SDK from reading OPENAI_BASE_URL from the environment.
        self._client = openai.OpenAI(
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout_s,
            max_retries=0,
        )

    def complete_json(self, system: str, user: str, budget_s: float | None = None) -> str:
        """The model's JSON reply text.

        Raises:
            AIUnavailableError: the breaker is open, or the call failed or ran out of time.
        """
        if not self.breaker.allow():
            raise AIUnavailableError("circuit breaker is open")
        budget = self.timeout_s if budget_s is None else budget_s
        try:
            content = run_with_deadline(lambda: self._create(system, user, budget), budget)
        except Exception as exc:
            self.breaker.record_failure()
            raise AIUnavailableError(f"{type(exc).__name__}: {exc}") from exc
        self.breaker.record_success()
        return content

    def _create(self, system: str, user: str, budget: float) -> str:
        completion = self._client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            response_format={"type": "json_object"},
            temperature=0.2,
            timeout=budget,
        )
        content = completion.choices[0].message.content if completion.choices else None
        if not content:
            raise ValueError("empty completion")
        return content

    def close(self) -> None:
        self._client.close()


def run_with_deadline(call: Callable[[], str], seconds: float) -> str:
    """Run call on a daemon thread and give up after seconds, even if it still trickles bytes."""
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed back to the caller's thread below
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name="ai-chat-call", daemon=True).start()
    if not done.wait(max(0.0, seconds)):
        raise TimeoutError(f"no reply within {seconds:.2f}s")
    if "error" in outcome:
        raise outcome["error"]
    return str(outcome["value"])


def monotonic_deadline(seconds: float) -> Callable[[], float]:
    """A function returning the seconds left until a deadline seconds from now."""
    deadline = time.monotonic() + seconds
    return lambda: max(0.0, deadline - time.monotonic())
