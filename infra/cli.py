"""The ``codequest`` command: every role and tool of the operator contract."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from infra.settings import Settings, SettingsError, apply_environ, export_environ, load_settings

EXIT_USAGE, EXIT_FAILURE, EXIT_UNREACHABLE = 2, 1, 3


class CliError(Exception):
    """A one-line error for the user; the exit code says what kind."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def servers(settings: Settings, owner: bool = False) -> Iterator[Settings]:
    """Settings pointing at running servers: embedded ones started here when no URLs are set."""
    if not settings.embedded:
        _check_reachable(settings)
        yield settings
        return
    from infra.embedded import EmbeddedError, EmbeddedServers

    embedded = EmbeddedServers(settings.data_dir)
    try:
        pg, rd = embedded.start()
    except (EmbeddedError, OSError) as exc:
        raise CliError(f"cannot start the embedded servers: {exc}") from None
    try:
        yield settings.with_servers(settings.database_url or pg, settings.redis_url or rd)
    finally:
        embedded.stop(owner=owner)


def _check_reachable(settings: Settings) -> None:
    import psycopg
    import redis

    try:
        psycopg.connect(settings.database_url or "", connect_timeout=5).close()
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(f"cannot reach PostgreSQL: {reason}", EXIT_UNREACHABLE) from None
    try:
        redis.Redis.from_url(settings.redis_url or "", socket_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise CliError(f"cannot reach Redis: {exc}", EXIT_UNREACHABLE) from None


@contextmanager
def running(settings: Settings, owner: bool = False, **build: Any) -> Iterator[Any]:
    """A built container on reachable servers, closed afterwards."""
    from infra.container import build_container
    from infra.logging import configure_logging

    configure_logging(settings.log_format, settings.log_level)
    with servers(settings, owner) as live:
        container = build_container(live, **build)
        try:
            yield container
        finally:
            container.close()


def _wait_for_signal(stop_when: Callable[[], bool] | None = None) -> None:
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    while not done.wait(0.5):
        if stop_when is not None and stop_when():
            return


# --- serve / worker / project ---------------------------------------------------------------


def _exit_cleanly(*_: Any) -> None:
    raise SystemExit(0)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from infra.container import start_background

    # uvicorn re-raises the signal it caught after shutting down; exit through our cleanup
    signal.signal(signal.SIGTERM, _exit_cleanly)
    with running(settings, owner=True) as container:
        live = container.settings
        apply_environ(export_environ(live))
        background = start_background(container) if live.inline_workers else None
        try:
            if args.workers == 1:
                app = create_app(live, container)
                uvicorn.run(
                    app,
                    host=args.host,
                    port=args.port,
                    log_level="warning",
                    access_log=False,
                    server_header=False,
                )
            else:
                uvicorn.run(
                    "api.app:create_app_from_env",
                    factory=True,
                    host=args.host,
                    port=args.port,
                    workers=args.workers,
                    log_level="warning",
                    access_log=False,
                    server_header=False,  # the response does not name the server software
                )
        finally:
            if background is not None:
                background.stop()
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from infra.broker import QUEUES
    from infra.container import start_worker

    queues = (
        [q.strip() for q in args.queues.split(",") if q.strip()] if args.queues else list(QUEUES)
    )
    unknown = sorted(set(queues) - set(QUEUES))
    if unknown:
        raise CliError(
            f"unknown queue(s): {', '.join(unknown)}; known: {', '.join(QUEUES)}", EXIT_USAGE
        )
    with running(settings) as container:
        worker = start_worker(container, queues, args.threads)
        print(f"codequest worker: consuming {', '.join(queues)}", file=sys.stderr)
        try:
            _wait_for_signal()
        finally:
            worker.stop()
    return 0


def cmd_project(args: argparse.Namespace, settings: Settings) -> int:
    from infra import registry
    from infra.container import start_projections

    names = [p.name for p in registry.projectors()]
    only = [n.strip() for n in args.only.split(",")] if args.only else None
    if only and (missing := sorted(set(only) - set(names))):
        raise CliError(f"unknown projection(s): {', '.join(missing)}", EXIT_USAGE)
    with running(settings) as container:
        group = start_projections(container, only)
        print(
            f"codequest project: running {', '.join(r.name for r in group.runners)}",
            file=sys.stderr,
        )
        try:
            _wait_for_signal(stop_when=lambda: bool(group.failed()))
        finally:
            group.stop()
        if failed := group.failed():
            raise CliError(f"projection {failed[0].name} failed: {failed[0].error}")
    return 0


# --- bootstrap --------------------------------------------------------------------------------


def cmd_admin_create_user(args: argparse.Namespace, settings: Settings) -> int:
    with running(settings) as container:
        if "accounts" not in container.commands:
            raise CliError("accounts are not available in this build")
        from commands.errors import ApplicationError

        try:
            user_id = container.accounts.create_user(
                email=args.email,
                password=args.password,
                role=args.role,
                verified=args.verified,
                display_name=args.display_name or args.email.split("@")[0],
            )
        except ApplicationError as exc:
            where = f" ({exc.field})" if exc.field else ""
            raise CliError(f"cannot create the user{where}: {exc.message}", EXIT_USAGE) from None
        print(user_id)
    return 0


def cmd_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from commands.demo import seed
    from commands.errors import ApplicationError

    with running(settings) as container:
        try:
            report = seed(container)
        except ApplicationError as exc:
            where = f" ({exc.field})" if exc.field else ""
            raise CliError(f"cannot seed the demo curriculum{where}: {exc.message}") from None
        print(report)
        print("unchanged: nothing to do" if not report.changed else "done")
    return 0


# --- analysts and auditors --------------------------------------------------------------------


def cmd_events_export(args: argparse.Namespace, settings: Settings) -> int:
    with running(settings) as container:
        try:
            from infra.audit import export_events
        except ImportError:
            raise CliError("event export is not available in this build") from None
        return int(export_events(container, args) or 0)


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    with running(settings) as container:
        try:
            from infra.audit import verify_command
        except ImportError:
            raise CliError("audit verify is not available in this build") from None
        return int(verify_command(container, args) or 0)


def cmd_audit_head(args: argparse.Namespace, settings: Settings) -> int:
    with running(settings) as container:
        try:
            from infra.audit import head_command
        except ImportError:
            raise CliError("audit head is not available in this build") from None
        return int(head_command(container, args) or 0)


def cmd_projections_status(args: argparse.Namespace, settings: Settings) -> int:
    from infra import registry
    from projections.runtime import status

    with running(settings) as container:
        rows = status(container.log, registry.projectors())
        print(f"{'projection':<28} {'position':>10} {'head':>10} {'lag':>8} {'lag_s':>8}")
        for row in rows:
            print(
                f"{row.name:<28} {row.position:>10} {row.head:>10} {row.lag_events:>8} "
                f"{row.lag_seconds:>8.1f}"
            )
    return 0


def cmd_projections_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from infra import registry
    from projections.runtime import rebuild

    chosen = {p.name: p for p in registry.projectors()}
    if args.name not in chosen:
        raise CliError(f"unknown projection {args.name!r}; known: {', '.join(chosen)}", EXIT_USAGE)
    with running(settings) as container, _progress(f"rebuild {args.name}") as progress:
        count = rebuild(
            container.log,
            chosen[args.name],
            container.services(),
            until_position=args.until_position,
            until_time=args.until_time,
            into=args.into,
            progress=progress,
        )
    target = f"schema {args.into}" if args.into else "the live tables"
    print(f"rebuilt {args.name} from {count} events into {target}")
    return 0


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


# --- parsing ----------------------------------------------------------------------------------


def _timestamp(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return number


def _port(value: str) -> int:
    number = _positive(value)
    if not 0 < number < 65536:
        raise argparse.ArgumentTypeError("port must be 1-65535")
    return number


def _workers(value: str) -> int:
    number = _positive(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="codequest", description="CodeQuest backend")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP API (and, embedded, everything else)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--workers", type=_workers, default=1, help="API processes")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run dramatiq job workers")
    worker.add_argument("--queues", help="comma-separated: code-execution,ai-review,notifications")
    worker.add_argument("--threads", type=_workers, default=4)
    worker.set_defaults(func=cmd_worker)

    project = sub.add_parser("project", help="run projection runners (read models, dispatchers)")
    project.add_argument("--only", help="comma-separated projection names")
    project.set_defaults(func=cmd_project)

    admin = sub.add_parser("admin", help="administration").add_subparsers(
        dest="admin", required=True
    )
    create = admin.add_parser("create-user", help="create a user with any role")
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument(
        "--role",
        default="learner",
        choices=["learner", "instructor", "business_partner", "admin", "system_admin", "auditor"],
    )
    create.add_argument("--verified", action="store_true", help="mark the e-mail as verified")
    create.add_argument("--display-name")
    create.set_defaults(func=cmd_admin_create_user)

    seed = sub.add_parser("seed-demo", help="load the demo curriculum (idempotent)")
    seed.set_defaults(func=cmd_seed_demo)

    events = sub.add_parser("events", help="the event history").add_subparsers(
        dest="events", required=True
    )
    export = events.add_parser("export", help="write events as NDJSON in global order")
    export.add_argument("--from-position", type=_positive)
    export.add_argument("--to-position", type=_positive)
    export.add_argument("--since", type=_timestamp)
    export.add_argument("--until", type=_timestamp)
    export.add_argument("--type", action="append", dest="types", metavar="TOPIC")
    export.add_argument("--aggregate")
    export.add_argument("--out")
    export.add_argument("--decrypt", action="store_true", help="decrypt sealed values with the key")
    export.set_defaults(func=cmd_events_export)

    audit = sub.add_parser("audit", help="tamper evidence").add_subparsers(
        dest="audit", required=True
    )
    audit.add_parser("verify", help="recompute the hash chain").set_defaults(func=cmd_audit_verify)
    audit.add_parser("head", help="print the chain's head hash").set_defaults(func=cmd_audit_head)

    proj = sub.add_parser("projections", help="read models").add_subparsers(
        dest="proj", required=True
    )
    proj.add_parser("status", help="position and lag of each").set_defaults(
        func=cmd_projections_status
    )
    rebuild = proj.add_parser("rebuild", help="rebuild a read model from the log")
    rebuild.add_argument("name")
    until = rebuild.add_mutually_exclusive_group()
    until.add_argument("--until-position", type=_positive)
    until.add_argument("--until-time", type=_timestamp)
    rebuild.add_argument("--into", help="keep the result in this schema instead of swapping it in")
    rebuild.set_defaults(func=cmd_projections_rebuild)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(args.func(args, settings) or 0)
    except SettingsError as exc:
        print(f"codequest: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CliError as exc:
        print(f"codequest: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line, never a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"codequest: {type(exc).__name__}: {first}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
