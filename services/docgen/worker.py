"""docgen's worker: consumes submissions, renders issued documents, relays the outbox."""

from __future__ import annotations

from services.docgen import bootstrap
from services.docgen.drafts.handlers import (
    REMINDER_REQUESTED,
    SUBMISSION_ACCEPTED,
    draft_announcer,
    draft_preparer,
)
from services.docgen.exchange.handlers import record_status, sender
from services.docgen.exchange.outbound import STATUS_EVENT
from services.docgen.issuing.handlers import issued_recorded, render_preparer
from services.docgen.issuing.service import ISSUED_EVENT, RENDERED_EVENT, IssueService
from services.docgen.issuing.signing import SIGNED_EVENT
from services.docgen.pings.handlers import record_ping
from shared.bus.consumer import Worker
from shared.config import Config
from shared.runtime import ServiceContext
from shared.worker import build_worker


def create_worker(config: Config | None = None) -> tuple[ServiceContext, Worker]:
    context = bootstrap.context(config)
    issuing = IssueService(context)
    drafting = draft_preparer(context, issuing.renderer)  # one renderer per process
    require_signed = context.config.exchange_require_signed
    worker = build_worker(
        context,
        handlers={
            "submission.ping": record_ping,
            SUBMISSION_ACCEPTED: draft_announcer(context.outbox),
            REMINDER_REQUESTED: draft_announcer(context.outbox),
            ISSUED_EVENT: issued_recorded,
            # Documents leave for the e-office system signed, unless the body says
            # that its final PDF may go unsigned (VANTHU_EXCHANGE_REQUIRE_SIGNED).
            SIGNED_EVENT: sender(context.outbox, require_signed=require_signed),
            RENDERED_EVENT: sender(context.outbox, require_signed=require_signed),
            STATUS_EVENT: record_status,
        },
        preparers={
            ISSUED_EVENT: render_preparer(issuing),
            SUBMISSION_ACCEPTED: drafting,
            REMINDER_REQUESTED: drafting,
        },
    )
    return context, worker
