"""archive's worker: makes sure the WORM bucket exists, consumes, relays, and looks after
the kept files (stores what S3 refused earlier; re-hashes everything on a schedule)."""

from __future__ import annotations

import logging
import threading
import time

from services.archive import bootstrap
from services.archive.fixity import run_fixity
from services.archive.handlers import handlers, preparers
from services.archive.service import ArchiveService
from shared import storage
from shared.bus.consumer import Worker
from shared.config import Config
from shared.runtime import ServiceContext
from shared.worker import build_worker

log = logging.getLogger(__name__)

RETRY_PENDING_SECONDS = 30.0


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


class Custodian:
    """The periodic side of the worker: ``retry_pending`` often, fixity every interval."""

    def __init__(
        self,
        service: ArchiveService,
        stop_event: threading.Event,
        *,
        retry_seconds: float = RETRY_PENDING_SECONDS,
    ) -> None:
        self.service = service
        self.stop_event = stop_event
        self.retry_seconds = retry_seconds
        self.fixity_every = float(service.context.config.archive_fixity_interval_seconds)

    def run(self) -> None:
        next_fixity = time.monotonic() + self.fixity_every
        while not self.stop_event.wait(self.retry_seconds):
            try:
                done = self.service.retry_pending()
                if any(done.values()):
                    log.info("pending records processed", extra=done)
                if self.fixity_every and time.monotonic() >= next_fixity:
                    report = run_fixity(self.service)
                    level = logging.INFO if report.passed else logging.ERROR
                    log.log(level, "fixity run", extra={"fixity": report.to_dict()})
                    next_fixity = time.monotonic() + self.fixity_every
            except Exception:
                log.exception("archive maintenance failed; will try again")


class ArchiveWorker(Worker):
    def __init__(self, base: Worker, service: ArchiveService) -> None:
        super().__init__(base.consumer, base.relay)
        self.custodian = Custodian(service, self.stop_event)

    def run(self) -> None:
        thread = threading.Thread(target=self.custodian.run, name="archive-custodian")
        thread.start()
        try:
            super().run()
        finally:
            self.stop_event.set()
            thread.join()


def create_worker(config: Config | None = None) -> tuple[ServiceContext, Worker]:
    context = bootstrap.context(config)
    ensure_bucket(context)
    service = ArchiveService(context)
    base = build_worker(context, handlers=handlers(), preparers=preparers(service))
    return context, ArchiveWorker(base, service)
