"""docgen's Flask application factory."""

from __future__ import annotations

from flask import Flask

from services.docgen import bootstrap
from services.docgen.catalogue.views import bp as templates_bp
from services.docgen.drafts.views import bp as drafts_bp
from services.docgen.pings.views import bp as pings_bp
from services.docgen.rendering import Renderer
from shared.config import Config
from shared.web.app import make_app


def create_app(config: Config | None = None) -> Flask:
    context = bootstrap.context(config)
    app = make_app(__name__, context)
    # Engines load on first use, in the process that renders (never before a fork).
    app.extensions["vanthu.renderer"] = Renderer(
        font_cache_dir=context.config.var_dir / "cache" / "fonts"
    )
    for blueprint in (pings_bp, templates_bp, drafts_bp):
        app.register_blueprint(blueprint)
    return app
