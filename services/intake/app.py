"""intake's Flask application factory."""

from __future__ import annotations

from flask import Flask

from services.intake import bootstrap
from services.intake.submissions.views import bp as submissions_bp
from shared.config import Config
from shared.web.app import make_app


def create_app(config: Config | None = None) -> Flask:
    app = make_app(__name__, bootstrap.context(config))
    app.register_blueprint(submissions_bp)
    return app
