"""Helpers for intake's submission and deadline tests."""

from __future__ import annotations

import copy
import json
import threading
import time as _time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from services.docgen.worker import create_worker as docgen_worker
from services.intake.app import create_app as intake_app
from services.intake.worker import create_worker as intake_worker
from shared.clock import VIETNAM
from shared.db import make_engine
from tests.conftest import REPO, ClientFor, Stack

EXAMPLES = REPO / "services" / "docgen" / "templates" / "examples"
OBLIGATION = "an-giang.tien-do-giai-ngan.thang"  # "trước ngày 20 hằng tháng", same month


def example(template: str) -> dict[str, Any]:
    """A docgen example as a draft's data (no number)."""
    data = json.loads(Path(EXAMPLES / f"{template}.json").read_text(encoding="utf-8"))
    data.pop("number", None)
    return data


def at(day: date, hour: int = 9) -> datetime:
    """A Vietnam office hour on ``day``, as an aware UTC instant."""
    return datetime.combine(day, time(hour), tzinfo=VIETNAM).astimezone(UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, day: date) -> None:
        self.now = at(day)

    def set(self, day: date) -> None:
        self.now = at(day)

    def __call__(self) -> datetime:
        return self.now


class Desk:
    """intake's API for one body, with tokens per role and a controllable clock."""

    def __init__(self, stack: Stack, client_for: ClientFor, organ_id: str, clock: Clock) -> None:
        self.stack = stack
        self.organ_id = organ_id
        self.client: FlaskClient = client_for(intake_app, stack.config("intake"))
        self.client.application.extensions["vanthu"].clock = clock
        self.clock = clock
        self.tokens = {
            role: {"Authorization": f"Bearer {stack.token((role,), organ_id)}"}
            for role in ("admin", "clerk", "investor")
        }

    def submit(self, body: Any, role: str = "clerk", **kwargs: Any) -> Any:
        return self.client.post("/v1/submissions", json=body, headers=self.tokens[role], **kwargs)

    def get(self, submission_id: str) -> Any:
        return self.client.get(f"/v1/submissions/{submission_id}", headers=self.tokens["clerk"])

    def assign(self, reporters: list[dict[str, Any]], since: str | None = None) -> Any:
        letter = example("cong-van-don-doc")
        body: dict[str, Any] = {
            "letter": {
                k: letter[k] for k in ("issuer", "notation", "signer", "distribution", "drafter")
            },
            "reporters": reporters,
        }
        if since is not None:
            body["since"] = since
        return self.client.put(
            f"/v1/obligations/{OBLIGATION}/reporters", json=body, headers=self.tokens["admin"]
        )


def monthly_report(reporter: str, year: int, month: int, on: date, **extra: Any) -> dict[str, Any]:
    document = copy.deepcopy(example("bao-cao-giai-ngan"))
    document.update(year=year, month=month, issued_on=on.isoformat())
    return {
        "kind": "monthly_report",
        "obligation_id": OBLIGATION,
        "reporter": reporter,
        "period": f"{year:04d}-{month:02d}",
        "document": document,
        **extra,
    }


def rows(stack: Stack, service: str, query: Any) -> list[Any]:
    engine = make_engine(stack.config(service).database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(query).all())
    finally:
        engine.dispose()


def count(stack: Stack, service: str, table: Any, **where: Any) -> int:
    query = select(table)
    for name, value in where.items():
        query = query.where(table.c[name] == value)
    return len(rows(stack, service, query))


@contextmanager
def workers(stack: Stack, clock: Callable[[], datetime] | None = None) -> Iterator[None]:
    """docgen's and intake's real workers in threads (intake's scheduler on ``clock``)."""
    built = [docgen_worker(stack.config("docgen")), intake_worker(stack.config("intake"))]
    if clock is not None:
        built[1][0].clock = clock
    threads = [threading.Thread(target=w.run, daemon=True) for _, w in built]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for _, worker in built:
            worker.stop()
        for thread in threads:
            thread.join(timeout=30)
        for context, _ in built:
            context.dispose()


def wait_for(what: str, check: Callable[[], Any], timeout: float = 90.0) -> Any:
    deadline = _time.monotonic() + timeout
    while _time.monotonic() < deadline:
        value = check()
        if value:
            return value
        _time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def forget_assignments(stack: Stack, organ_id: str) -> None:
    """Drop a test body's obligations, so other tests' schedulers never remind it."""
    from services.intake.orm import obligation_assignments

    engine = make_engine(stack.config("intake").database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                obligation_assignments.delete().where(obligation_assignments.c.organ_id == organ_id)
            )
    finally:
        engine.dispose()
