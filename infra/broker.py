"""The dramatiq broker: Redis or RabbitMQ chosen by the URL scheme, and in-process workers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

QUEUES = ("code-execution", "ai-review", "notifications")


@dataclass(frozen=True)
class ActorSpec:
    """A job function and how it is declared; actor names are as permanent as event topics."""

    fn: Callable[..., Any]
    name: str
    queue: str
    options: dict[str, Any] = field(default_factory=dict)


def _middleware() -> list[Any]:
    return [
        AgeLimit(),
        TimeLimit(time_limit=120_000, interval=250),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(max_retries=3, min_backoff=500, max_backoff=10_000),
        CurrentMessage(),  # actors read their message id as the correlation id of their events
    ]


def build_broker(url: str) -> dramatiq.Broker:
    """A broker for the URL; Redis redelivers a dead worker's jobs within seconds."""
    if url.startswith(("amqp://", "amqps://")):
        return RabbitmqBroker(url=url, confirm_delivery=True, middleware=_middleware())
    return RedisBroker(
        url=url,
        middleware=_middleware(),
        namespace="codequest",
        heartbeat_timeout=5_000,
        maintenance_chance=100_000,
    )


def declare(
    broker: dramatiq.Broker, specs: Sequence[ActorSpec]
) -> dict[str, dramatiq.Actor[Any, Any]]:
    """Declare every actor on this broker (and make it the global one)."""
    dramatiq.set_broker(broker)
    actors = {}
    for spec in specs:
        if spec.name in broker.actors:  # a new container in the same process: rebind the function
            existing = broker.get_actor(spec.name)
            existing.fn = spec.fn
            actors[spec.name] = existing
            continue
        actors[spec.name] = dramatiq.actor(
            spec.fn, actor_name=spec.name, queue_name=spec.queue, broker=broker, **spec.options
        )
    for queue in QUEUES:
        broker.declare_queue(queue)
    return actors


def enqueue(broker: dramatiq.Broker, queue: str, actor: str, **kwargs: Any) -> None:
    """Send a job by actor name, so dispatchers need not import the actor modules."""
    broker.enqueue(
        dramatiq.Message(queue_name=queue, actor_name=actor, args=(), kwargs=kwargs, options={})
    )


class InProcessWorker:
    """A dramatiq Worker inside this process (the embedded default and tests)."""

    def __init__(
        self, broker: dramatiq.Broker, queues: Sequence[str] | None = None, threads: int = 4
    ):
        self.broker = broker
        self.worker = dramatiq.Worker(
            broker,
            queues=set(queues) if queues else None,
            worker_threads=threads,
            worker_timeout=100,
        )

    def start(self) -> InProcessWorker:
        self.broker.emit_after("process_boot")  # starts TimeLimit's watcher
        self.worker.start()
        return self

    def stop(self) -> None:
        self.worker.stop(timeout=10_000)
