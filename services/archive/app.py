"""archive's Flask application factory."""

from __future__ import annotations

from flask import Flask

from shared.config import Config
from shared.web.app import make_app
from services.archive import bootstrap


def create_app(config: Config | None = None) -> Flask:
    return make_app(__name__, bootstrap.context(config))
