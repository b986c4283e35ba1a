"""archive's Flask application factory."""

from __future__ import annotations

from flask import Flask

from services.archive import bootstrap
from shared.config import Config
from shared.web.app import make_app


def create_app(config: Config | None = None) -> Flask:
    return make_app(__name__, bootstrap.context(config))
