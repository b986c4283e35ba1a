"""archive's worker: makes sure the WORM bucket exists, then consumes and relays."""

from __future__ import annotations

import logging
import time

from services.archive import bootstrap
from shared import storage
from shared.bus.consumer import Worker
from shared.config import Config
from shared.runtime import ServiceContext
from shared.worker import build_worker

log = logging.getLogger(__name__)


def ensure_bucket(context: ServiceContext, wait_seconds: float = 120.0) -> None:
    """Create the bucket with object lock, waiting for S3 to come up first."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            storage.ensure_bucket(storage.make_client(context.config), context.config.s3_bucket)
            return
        except Exception as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("S3 not ready, retrying", extra={"error": str(exc)})
            time.sleep(2)


def create_worker(config: Config | None = None) -> tuple[ServiceContext, Worker]:
    context = bootstrap.context(config)
    ensure_bucket(context)
    return context, build_worker(context, handlers={})
