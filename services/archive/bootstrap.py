"""Composition root: wires archive's adapters for the app and the worker."""

from __future__ import annotations

from services.archive.orm import tables
from shared.config import Config, load
from shared.runtime import ServiceContext


def context(config: Config | None = None) -> ServiceContext:
    return ServiceContext(config or load("archive"), tables, uses_s3=True)
