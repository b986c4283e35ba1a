"""intake's Flask application factory."""

from __future__ import annotations

from flask import Flask

from services.intake import bootstrap
from services.intake.exchange.inbound import Inbound
from services.intake.exchange.views import EXTENSION as INBOUND
from services.intake.exchange.views import bp as incoming_bp
from services.intake.orm import numbering
from services.intake.reminders.views import bp as obligations_bp
from services.intake.submissions.views import bp as submissions_bp
from services.intake.web import install as install_web
from shared.config import Config
from shared.edxml import Limits
from shared.numbering import Registers
from shared.numbering import api as registers_api
from shared.runtime import ServiceContext
from shared.web.app import make_app


def inbound(context: ServiceContext) -> Inbound:
    return Inbound(
        context.outbox,
        lambda: context.clock(),  # noqa: PLW0108 - late-bound: tests set context.clock
        Limits(max_packet_bytes=context.config.edxml_max_packet_bytes),
    )


def create_app(config: Config | None = None) -> Flask:
    context = bootstrap.context(config)
    app = make_app(__name__, context)
    # Late-bound clock: tests may stand the context at a chosen instant.
    registers_api.install(
        app,
        Registers(numbering, clock=lambda: context.clock()),  # noqa: PLW0108
    )
    app.extensions[INBOUND] = inbound(context)
    app.register_blueprint(submissions_bp)
    app.register_blueprint(obligations_bp)
    app.register_blueprint(incoming_bp)
    app.register_blueprint(registers_api.make_blueprint("in"))
    install_web(app, context)  # the văn thư's web pages under /web (sessions, CSRF)
    return app
