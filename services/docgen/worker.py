"""docgen's worker: consumes submissions and relays docgen's outbox."""

from __future__ import annotations

from services.docgen import bootstrap
from services.docgen.pings.handlers import record_ping
from shared.bus.consumer import Worker
from shared.config import Config
from shared.runtime import ServiceContext
from shared.worker import build_worker


def create_worker(config: Config | None = None) -> tuple[ServiceContext, Worker]:
    context = bootstrap.context(config)
    return context, build_worker(context, handlers={"submission.ping": record_ping})
