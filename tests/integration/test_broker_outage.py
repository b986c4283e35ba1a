"""The outbox carries events across a broker outage: stop, submit, start — one arrival."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.docgen.app import create_app as docgen_app
from services.docgen.orm import pings
from services.docgen.worker import create_worker as docgen_worker
from services.intake.app import create_app as intake_app
from services.intake.worker import create_worker as intake_worker
from shared.bus.consumer import Worker
from tests.conftest import ClientFor, Stack, embedded_environ
from tests.support import backing
from tests.support.rabbit_node import RabbitNode

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def node() -> Iterator[RabbitNode]:
    with RabbitNode() as broker:
        yield broker


@pytest.fixture
def own_database() -> Iterator[str]:
    """A database of its own, so counting its inbox counts only this test's events."""
    url = backing.create_postgres_database(backing.postgres_admin_url())
    yield url
    backing.drop_postgres_database(url)


def _run(worker: Worker) -> threading.Thread:
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    return thread


def test_event_written_while_broker_is_down_arrives_once(
    node: RabbitNode, own_database: str, tmp_path: Path, client_for: ClientFor
) -> None:
    environ = embedded_environ(tmp_path / "var")
    environ.update(
        {
            "VANTHU_DATABASE_URL": own_database,
            "VANTHU_AUTH_DATABASE_URL": own_database,
            "VANTHU_BROKER_URL": node.url,
        }
    )
    stack = Stack("real", environ)
    stack.migrate()
    token = stack.token()
    headers = {"Authorization": f"Bearer {token}"}
    intake = client_for(intake_app, stack.config("intake"))
    docgen = client_for(docgen_app, stack.config("docgen"))
    built = [intake_worker(stack.config("intake")), docgen_worker(stack.config("docgen"))]
    workers = [worker for _, worker in built]
    threads = [_run(w) for w in workers]
    try:
        node.stop()
        assert docgen.get("/readyz").get_json(force=True)["failing"] == ["broker"]
        accepted = intake.post(
            "/v1/submissions", json={"kind": "ping", "message": "mất kết nối"}, headers=headers
        )
        assert accepted.status_code == 202  # the request does not need the broker
        submission_id = accepted.json["id"]
        time.sleep(2)  # the workers try, fail and back off meanwhile
        node.start()

        deadline = time.monotonic() + 90
        response = docgen.get(f"/v1/pings/{submission_id}", headers=headers)
        while response.status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
            response = docgen.get(f"/v1/pings/{submission_id}", headers=headers)
        assert response.status_code == 200
        assert response.json["message"] == "mất kết nối"

        time.sleep(2)  # room for a duplicate to show up, if any were sent
        consumer = workers[1].consumer
        engine = built[1][0].engine
        with engine.connect() as conn:
            rows = conn.execute(
                select(func.count())
                .select_from(pings)
                .where(pings.c.submission_id == submission_id)
            ).scalar_one()
            handled = conn.execute(
                select(func.count()).select_from(consumer.inbox)
            ).scalar_one()
        assert rows == 1
        assert handled == 1
    finally:
        for worker in workers:
            worker.stop()
        for thread in threads:
            thread.join(timeout=30)
        for context, _ in built:
            context.dispose()
