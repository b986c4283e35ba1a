"""``vanthu``: the one command line for people and scripts."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import shutil
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from shared import config as config_module
from shared.auth import users_cli
from shared.config import SERVICES, Config, ConfigError
from shared.edxml import cli as edxml_cli
from shared.exchange import simulator as eoffice_sim
from shared.numbering import cli as registers_cli
from shared.signatures import cli as signatures_cli

log = logging.getLogger("vanthu")


def _load(service: str) -> Config:
    try:
        return config_module.load(service)
    except ConfigError as exc:
        raise SystemExit(f"vanthu: configuration error: {exc}") from None


def _service_module(service: str, name: str) -> Any:
    return importlib.import_module(f"services.{service}.{name}")


def cmd_serve(args: argparse.Namespace) -> int:
    from gunicorn.app.base import BaseApplication

    config = _load(args.service)
    if config.web_workers > 1:
        # Several gunicorn workers share one /metrics through files.
        metrics_dir = config.var_dir / "prometheus" / config.service
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    from shared.web.observability import configure_logging

    configure_logging(config.service, config.log_level)
    factory = _service_module(args.service, "app").create_app

    class Application(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{config.host}:{config.port}")
            self.cfg.set("workers", config.web_workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("accesslog", None)
            self.cfg.set("proc_name", f"vanthu-{config.service}")
            self.cfg.set("logger_class", "shared.web.observability.GunicornJsonLogger")
            self.cfg.set("post_worker_init", _warm_renderer)

        def load(self) -> Any:
            return factory(config)

    Application().run()
    return 0


def _warm_renderer(worker: Any) -> None:
    """In each forked web worker, load the rendering engines before the first request."""
    renderer = getattr(worker.wsgi, "extensions", {}).get("vanthu.renderer")
    if renderer is not None:
        renderer.warm()


def cmd_worker(args: argparse.Namespace) -> int:
    from shared.web.observability import configure_logging

    config = _load(args.service)
    configure_logging(f"{config.service}-worker", config.log_level)
    context, worker = _service_module(args.service, "worker").create_worker(config)

    def stop(signum: int, _frame: Any) -> None:
        log.info("stopping worker", extra={"signal": signum})
        worker.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        worker.run()
    finally:
        context.dispose()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from shared.db import migrate

    owners = list(migrate.OWNERS) if args.owner in (None, "all") else [args.owner]
    for owner in owners:
        service = owner if owner in SERVICES else "intake"
        config = _load(service)
        url = config.auth_database_url if owner == "auth" else config.database_url
        migrate.upgrade(owner, url)
        print(f"migrated {owner}")
    return 0


def cmd_tokens_create(args: argparse.Namespace) -> int:
    from shared.auth import TokenStore
    from shared.db import make_engine

    store = TokenStore(make_engine(_load("intake").auth_database_url))
    try:
        token, principal = store.create(args.body, args.roles.split(","), args.label)
    except ValueError as exc:
        print(f"vanthu tokens: {exc}", file=sys.stderr)
        return 2
    if args.quiet:
        print(token)
    else:
        print(f"token for {principal.organ_id} ({','.join(sorted(principal.roles))}):")
        print(token)
    return 0


def cmd_tokens_revoke(args: argparse.Namespace) -> int:
    from shared.auth import TokenStore
    from shared.db import make_engine

    store = TokenStore(make_engine(_load("intake").auth_database_url))
    if not store.revoke(args.token_id):
        print(f"vanthu tokens: no active token {args.token_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.token_id}")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    services = [args.service] if args.service else list(SERVICES)
    for service in services:
        config = _load(service)
        print(f"[{service}]")
        for name, source in config.sources.items():
            value = getattr(config, name.lower())
            shown = "***" if "SECRET" in name else value
            print(f"  {name:24} {shown}  ({source})")
    for name in config_module.unknown_variables():
        print(f"warning: {name} is not a vanthu setting (typo?)", file=sys.stderr)
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    import json

    from services.docgen.catalogue import default_catalogue

    described = [template.describe() for template in default_catalogue()]
    if args.json:
        print(json.dumps(described, ensure_ascii=False, indent=2))
        return 0
    for item in described:
        spans = "; ".join(
            f"{v['id']} {v['valid_from']}–{v['valid_to'] or '…'} ({v['legal_basis']})"
            for v in item["versions"]
        )
        print(f"{item['id']:24} {item['kind']:9} {item['title']}  [{spans}]")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from pydantic import ValidationError

    from services.docgen.catalogue import NoVersionInForce, UnknownTemplate
    from services.docgen.rendering import render
    from shared.web.validation import field_errors

    try:
        data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"vanthu render: cannot read {args.data}: {exc}", file=sys.stderr)
        return 2
    try:
        output = render(args.type, data, args.format, pdfa=args.pdfa)
    except ValidationError as exc:
        print(f"vanthu render: {args.data} is not valid for {args.type}:", file=sys.stderr)
        for error in field_errors(exc):
            print(f"  {error['field']}: {error['message']} ({error['code']})", file=sys.stderr)
        return 2
    except (UnknownTemplate, NoVersionInForce, ValueError) as exc:
        print(f"vanthu render: {exc}", file=sys.stderr)
        return 2
    Path(args.output).write_bytes(output)
    print(f"wrote {args.output} ({len(output):,} bytes)")
    return 0


def cmd_lint_layout(args: argparse.Namespace) -> int:
    from services.docgen.layout_lint import main as lint_main

    argv = [
        args.file,
        *(["--draft"] if args.draft else []),
        *(["--json"] if args.json else []),
        *(["--profile", args.profile] if args.profile else []),
    ]
    return lint_main(argv)


def cmd_dev(args: argparse.Namespace) -> int:
    from shared.devstack.supervisor import run_dev

    return run_dev()


def cmd_fixity(args: argparse.Namespace) -> int:
    from services.archive.fixity import main as fixity_main

    return fixity_main(_load("archive"), organ_id=args.body, as_json=args.json)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vanthu", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> Any:
        p = sub.add_parser(name, help=help_)
        p.set_defaults(func=func)
        return p

    add("serve", cmd_serve, "serve a service over HTTP (gunicorn)").add_argument(
        "service", choices=SERVICES
    )
    add("worker", cmd_worker, "run a service's worker").add_argument("service", choices=SERVICES)
    add("migrate", cmd_migrate, "apply database migrations").add_argument(
        "owner", nargs="?", choices=["all", "auth", *SERVICES]
    )
    add("config", cmd_config, "validate and show the configuration").add_argument(
        "service", nargs="?", choices=SERVICES
    )
    add("dev", cmd_dev, "start everything on the embedded defaults (make run)")
    add("templates", cmd_templates, "list the document template catalogue").add_argument(
        "--json", action="store_true", help="print the catalogue as JSON"
    )
    render = add("render", cmd_render, "render one document from a data file")
    render.add_argument("--type", required=True, help="template id (vanthu templates)")
    render.add_argument("--data", required=True, help="the document's data, JSON")
    render.add_argument("--format", required=True, choices=["pdf", "docx"])
    render.add_argument("--output", required=True, help="file to write")
    render.add_argument("--pdfa", action="store_true", help="PDF/A-2b (archive copies)")
    lint = add("lint-layout", cmd_lint_layout, "check a DOCX or PDF against Nghị định 30/2020")
    lint.add_argument("file")
    lint.add_argument("--draft", action="store_true", help="accept a blank number (a draft)")
    lint.add_argument("--json", action="store_true", help="print the report as JSON")
    lint.add_argument(
        "--profile",
        choices=["document", "form"],
        default="document",
        help="'document' (every component) or 'form' (payment forms, reports, minutes)",
    )

    tokens = sub.add_parser("tokens", help="API tokens").add_subparsers(
        dest="tokens_command", required=True
    )
    create = tokens.add_parser("create", help="create a token and print it once")
    create.add_argument("--body", required=True, help="OrganId, e.g. 000.00.32.H43")
    create.add_argument("--roles", required=True, help="comma-separated, e.g. clerk,leader")
    create.add_argument("--label", default="", help="who or what the token is for")
    create.add_argument("--quiet", action="store_true", help="print only the token")
    create.set_defaults(func=cmd_tokens_create)
    revoke = tokens.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id")
    revoke.set_defaults(func=cmd_tokens_revoke)

    registers_cli.add_arguments(sub)
    users_cli.add_arguments(sub)
    edxml_cli.add_arguments(sub)
    eoffice_sim.add_arguments(sub)
    archive = sub.add_parser("archive", help="archive tools").add_subparsers(
        dest="archive_command", required=True
    )
    verify = archive.add_parser("verify", help="verify a PDF's signatures (offline) and hash it")
    signatures_cli.add_arguments(verify)
    verify.set_defaults(func=signatures_cli.run)
    fixity = add("fixity", cmd_fixity, "re-hash every kept file and compare with the archive")
    fixity.add_argument("--body", help="only this body's records (OrganId)")
    fixity.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


# What vanthu writes (SQLite files with password and token hashes, queued
# messages, SeaweedFS volumes, logs, secrets) is for its own user: folders 0700,
# files 0600, from the first byte, in every process it starts too.
PRIVATE_UMASK = 0o077


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
