"""Composition root: wires docgen's adapters for the app and the worker."""

from __future__ import annotations

from services.docgen.orm import tables
from shared.config import Config, load
from shared.runtime import ServiceContext


def context(config: Config | None = None) -> ServiceContext:
    return ServiceContext(config or load("docgen"), tables)
