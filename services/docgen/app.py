"""docgen's Flask application factory."""

from __future__ import annotations

from flask import Flask

from services.docgen import bootstrap
from services.docgen.pings.views import bp as pings_bp
from shared.config import Config
from shared.web.app import make_app


def create_app(config: Config | None = None) -> Flask:
    app = make_app(__name__, bootstrap.context(config))
    app.register_blueprint(pings_bp)
    return app
