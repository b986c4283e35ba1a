"""intake's worker: relays its outbox (submissions accepted) to the bus."""

from __future__ import annotations

from services.intake import bootstrap
from shared.bus.consumer import Worker
from shared.config import Config
from shared.runtime import ServiceContext
from shared.worker import build_worker


def create_worker(config: Config | None = None) -> tuple[ServiceContext, Worker]:
    context = bootstrap.context(config)
    return context, build_worker(context, handlers={})
