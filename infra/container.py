"""The composition root: every Application, pool, client and port, built from Settings."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import dramatiq
import redis

from commands.app import CodeQuest
from infra.broker import InProcessWorker, build_broker, declare
from infra.crypto import AesGcmBox, BcryptHasher, SystemClock
from infra.eventstore import build_event_log
from infra.mail import Mailer, build_mailer
from infra.redis import sync_client
from infra.settings import Settings
from projections.runtime import ProjectionGroup, Projector, Services

_SANDBOX_LOCK = threading.Lock()


@dataclass
class Container:
    """What one process runs on; async clients are made per event loop by the API lifespan."""

    settings: Settings
    log: CodeQuest
    redis: redis.Redis
    broker: dramatiq.Broker
    box: AesGcmBox
    hasher: BcryptHasher
    clock: SystemClock
    mailer: Mailer
    commands: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["commands"][name]
        except KeyError:
            raise AttributeError(name) from None

    def services(self) -> Services:
        return Services(redis=self.redis, broker=self.broker, extra={"container": self})

    def sandbox(self) -> Any:
        """The judge's sandbox for ``settings.sandbox``, built once on first use."""
        with _SANDBOX_LOCK:
            if "sandbox" not in self.extra:
                from judge.sandbox import get_sandbox

                self.extra["sandbox"] = get_sandbox(self.settings.sandbox)
        return self.extra["sandbox"]

    def close(self) -> None:
        self.log.close()
        self.redis.close()
        self.broker.close()


def build_container(settings: Settings, *, hash_rounds: int = 12, pool_size: int = 2) -> Container:
    """Build everything the settings describe; nothing is started."""
    if settings.database_url is None or settings.redis_url is None:
        raise RuntimeError("start the embedded servers (or set the URLs) before building")
    container = Container(
        settings=settings,
        log=build_event_log(settings.database_url, pool_size=pool_size),
        redis=sync_client(settings.redis_url),
        broker=build_broker(settings.broker_url or settings.redis_url),
        box=AesGcmBox(settings.encryption_key),
        hasher=BcryptHasher(hash_rounds),
        clock=SystemClock(),
        mailer=build_mailer(settings.smtp_url, settings.outbox_dir),
    )
    from infra import audit, registry

    audit.install(container)  # append-only guard, personal-data keys, the audit reader
    container.commands.update(registry.command_services(container))
    declare(container.broker, registry.actor_specs(container))
    return container


@dataclass
class Background:
    """Projection runners and job workers running inside this process."""

    projections: ProjectionGroup | None
    worker: InProcessWorker | None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self.projections is not None:
            self.projections.stop()


def start_projections(container: Container, only: Sequence[str] | None = None) -> ProjectionGroup:
    from infra import registry

    chosen: list[type[Projector]] = [p for p in registry.projectors() if not only or p.name in only]
    return ProjectionGroup(container.log, chosen, container.services()).start()


def start_worker(
    container: Container, queues: Sequence[str] | None = None, threads: int = 4
) -> InProcessWorker:
    return InProcessWorker(container.broker, queues, threads).start()


def start_background(container: Container) -> Background:
    return Background(start_projections(container), start_worker(container))
