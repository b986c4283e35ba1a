"""docgen's worker: consumes submissions, renders issued documents, relays the outbox."""

from __future__ import annotations

from services.docgen import bootstrap
from services.docgen.issuing.handlers import issued_recorded, render_preparer
from services.docgen.issuing.service import ISSUED_EVENT, IssueService
from services.docgen.pings.handlers import record_ping
from shared.bus.consumer import Worker
from shared.config import Config
from shared.runtime import ServiceContext
from shared.worker import build_worker


def create_worker(config: Config | None = None) -> tuple[ServiceContext, Worker]:
    context = bootstrap.context(config)
    issuing = IssueService(context)
    worker = build_worker(
        context,
        handlers={"submission.ping": record_ping, ISSUED_EVENT: issued_recorded},
        preparers={ISSUED_EVENT: render_preparer(issuing)},
    )
    return context, worker
