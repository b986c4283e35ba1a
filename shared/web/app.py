"""The part of every service's ``create_app`` that is the same everywhere."""

from __future__ import annotations

import concurrent.futures
import logging
from importlib.metadata import PackageNotFoundError, version

from flask import Blueprint, Flask, Response, current_app, jsonify
from werkzeug.middleware.proxy_fix import ProxyFix

from shared.runtime import ServiceContext
from shared.web import audit, observability, problems
from shared.web.openapi import build_spec
from shared.web.problems import Problem

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return version("vanthu")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


def _probes(context: ServiceContext, metrics: observability.Metrics) -> Blueprint:
    bp = Blueprint("probes", __name__)

    @bp.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok", service=context.config.service)

    @bp.get("/readyz")
    def readyz() -> Response:
        checks = context.readiness_checks()
        timeout = context.config.ready_timeout_seconds + 1
        results: dict[str, str] = {}
        errors: dict[str, str] = {}
        # Checked side by side so one hanging dependency costs one timeout, not several.
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(checks))
        try:
            futures = {name: pool.submit(check) for name, check in checks.items()}
            for name, future in futures.items():
                try:
                    future.result(timeout=timeout)
                    results[name] = "ok"
                except concurrent.futures.TimeoutError:
                    results[name] = "timeout"
                except Exception as exc:
                    # What failed and why (host, port, bucket …) is for the logs: the
                    # probe answers anyone, so it names only the check.
                    results[name] = "failed"
                    errors[name] = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        failing = sorted(name for name, result in results.items() if result != "ok")
        if failing:
            log.warning("not ready", extra={"failing": failing, "errors": errors})
            raise Problem(
                "not_ready",
                f"Dịch vụ chưa sẵn sàng: không kết nối được {', '.join(failing)}.",
                failing=failing,
                checks=results,
            )
        return jsonify(status="ready", service=context.config.service, checks=results)

    @bp.get("/metrics")
    def metrics_view() -> Response:
        return metrics.render()

    @bp.get("/openapi.json")
    def openapi() -> Response:
        spec = build_spec(current_app, f"vanthu {context.config.service}", _version())
        return jsonify(spec)

    return bp


def make_app(import_name: str, context: ServiceContext) -> Flask:
    app = Flask(import_name)
    if context.config.trusted_proxy_hops:
        # The client's address (audit log, sign-in limits) and scheme as the proxies
        # in front saw them; with no proxy configured the headers are ignored, since
        # anyone could send them.
        hops = context.config.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.config["MAX_CONTENT_LENGTH"] = context.config.max_body_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["vanthu"] = context
    problems.install(app)
    metrics = observability.install(app, context.config.service)
    audit.install(app, lambda: context.engine, context.tables.audit)
    app.register_blueprint(_probes(context, metrics))
    return app
