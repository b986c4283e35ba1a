"""archive's Flask application factory."""

from __future__ import annotations

from flask import Flask

from services.archive import bootstrap, views
from services.archive.service import ArchiveService
from shared.config import Config
from shared.web.app import make_app


def create_app(config: Config | None = None) -> Flask:
    context = bootstrap.context(config)
    app = make_app(__name__, context)
    views.install(app, ArchiveService(context))
    app.register_blueprint(views.records_bp)
    app.register_blueprint(views.dossiers_bp)
    return app
