"""A worker killed in the middle of a handler loses nothing: the next one handles it, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.docgen import bootstrap
from services.docgen.orm import pings
from shared.bus import Envelope
from shared.db.types import new_id
from tests.conftest import ORGAN, REPO, Stack

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# docgen's real worker, whose ping handler dies by SIGKILL the first time it runs.
WORKER = textwrap.dedent(
    """
    import os, signal, sys
    from services.docgen import bootstrap
    from services.docgen.pings.handlers import record_ping
    from shared.worker import build_worker

    marker = sys.argv[1]

    def fragile(session, envelope):
        if not os.path.exists(marker):
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
        record_ping(session, envelope)

    context = bootstrap.context()
    worker = build_worker(context, {"submission.ping": fragile})
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    worker.run()
    """
)


def _worker(stack: Stack, marker: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    env.update(stack.environ)
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(marker)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_worker_loses_nothing(stack: Stack, tmp_path: Path) -> None:
    context = bootstrap.context(stack.config("docgen"))
    submission_id = new_id()
    with context.uow() as uow:
        context.outbox.add_event(
            uow.session,
            Envelope(
                type="submission.ping",
                organ_id=ORGAN,
                payload={"submission_id": submission_id, "message": "không được mất"},
            ),
        )
        uow.commit()

    def recorded() -> int:
        query = select(func.count()).where(pings.c.submission_id == submission_id)
        with context.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    marker = tmp_path / "died-once"
    first = _worker(stack, marker)
    assert first.wait(timeout=60) == -signal.SIGKILL
    assert marker.exists()
    assert recorded() == 0  # it died inside the handler, before its commit

    second = _worker(stack, marker)
    try:
        deadline = time.monotonic() + 60
        while recorded() == 0:
            assert time.monotonic() < deadline, "the message was lost with the first worker"
            time.sleep(0.2)
        time.sleep(1)
        assert recorded() == 1
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
        context.dispose()
