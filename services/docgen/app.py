"""docgen's Flask application factory."""

from __future__ import annotations

from flask import Flask

from services.docgen import bootstrap
from services.docgen.catalogue.views import bp as templates_bp
from services.docgen.drafts.views import bp as drafts_bp
from services.docgen.exchange.views import bp as exchange_bp
from services.docgen.issuing.service import IssueService, cancel_document
from services.docgen.issuing.signing import SignedCopies
from services.docgen.issuing.views import EXTENSION as ISSUING
from services.docgen.issuing.views import SIGNED_EXTENSION
from services.docgen.issuing.views import bp as issuing_bp
from services.docgen.orm import numbering
from services.docgen.pings.views import bp as pings_bp
from services.docgen.rendering import Renderer
from shared import numbering as numbering_lib
from shared.config import Config
from shared.numbering import api as registers_api
from shared.web.app import make_app


def create_app(config: Config | None = None) -> Flask:
    context = bootstrap.context(config)
    app = make_app(__name__, context)
    # Engines load on first use, in the process that renders (never before a fork).
    renderer = Renderer(font_cache_dir=context.config.var_dir / "cache" / "fonts")
    app.extensions["vanthu.renderer"] = renderer
    issuing = IssueService(context, renderer=renderer)
    app.extensions[ISSUING] = issuing
    roots = [path.read_bytes() for path in context.config.trust_root_paths]
    app.extensions[SIGNED_EXTENSION] = SignedCopies(issuing, trust_roots=roots)
    # Late-bound clock: tests may stand the context at a chosen instant.
    registers_api.install(
        app,
        numbering_lib.Registers(
            numbering,
            clock=lambda: context.clock(),  # noqa: PLW0108
            on_cancel=cancel_document,
        ),
    )
    for blueprint in (
        pings_bp,
        templates_bp,
        drafts_bp,
        issuing_bp,
        exchange_bp,
        registers_api.make_blueprint("out"),
    ):
        app.register_blueprint(blueprint)
    return app
