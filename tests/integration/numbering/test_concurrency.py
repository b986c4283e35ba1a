"""The register under load and under crashes, on SQLite and on PostgreSQL.

Eight processes issue 250 drafts each into one register: exactly 1…2000 come
out, no gap, no duplicate, every number with its document and its event. A
process killed by SIGKILL between taking a number and committing leaves
nothing behind: the next issue gets that same number.
"""

from __future__ import annotations

import json
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
from services.docgen.orm import documents, drafts, numbering, tables
from shared.bus import Envelope
from shared.db.types import new_id, utcnow
from shared.numbering import BodySettings, Registers
from tests.conftest import REPO, Stack
from tests.support.organs import fresh_organ_id

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PROCESSES = 8
PER_PROCESS = 250

# One clerk's desk in a process of its own: issue each draft of a list, in order.
ISSUER = textwrap.dedent(
    """
    import json, sys
    from services.docgen import bootstrap
    from services.docgen.issuing.models import IssueRequest
    from services.docgen.issuing.service import IssueService

    organ_id, drafts_file, out_file = sys.argv[1:4]
    service = IssueService(bootstrap.context())
    numbers = []
    for draft_id in json.loads(open(drafts_file).read()):
        issued = service.issue(
            organ_id=organ_id, actor="load", draft_id=draft_id,
            request=IssueRequest(unit="VP"),
        )
        numbers.append(issued.row.number)
    open(out_file, "w").write(json.dumps(numbers))
    """
)

# An issue that stops for good between the counter and the commit, and says so.
STALLED = textwrap.dedent(
    """
    import sys, time
    from services.docgen import bootstrap
    from services.docgen.issuing.models import IssueRequest
    from services.docgen.issuing.service import IssueService

    organ_id, draft_id, marker = sys.argv[1:4]
    context = bootstrap.context()
    original = context.outbox.add_event

    def stall(session, envelope):
        original(session, envelope)  # number taken, document and event written …
        open(marker, "w").write(str(envelope.payload["number"]))
        time.sleep(600)  # … and never committed: SIGKILL comes here

    context.outbox.add_event = stall
    IssueService(context).issue(
        organ_id=organ_id, actor="crash", draft_id=draft_id, request=IssueRequest(unit="VP")
    )
    """
)


def _env(stack: Stack) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    env.update(stack.environ)
    return env


def _prepare(stack: Stack, count: int) -> tuple[str, list[str]]:
    """A body with its abbreviations and register, and ``count`` drafts of công văn."""
    organ_id = fresh_organ_id()
    example = json.loads(
        (REPO / "services/docgen/templates/examples/cong-van.json").read_text(encoding="utf-8")
    )
    example.pop("number")
    context = bootstrap.context(stack.config("docgen"))
    registers = Registers(numbering)
    ids = [new_id() for _ in range(count)]
    try:
        with context.uow() as uow:
            registers.save_settings(
                uow.session,
                BodySettings(organ_id=organ_id, name="UBND huyện Sông Hình", abbreviation="UBND"),
            )
            registers.create(
                uow.session,
                organ_id=organ_id,
                direction="out",
                code="hanh-chinh",
                name="Văn bản hành chính",
                series="administrative",
            )
            # The renderings of a draft play no part in issuing; the data does.
            uow.session.execute(
                drafts.insert(),
                [
                    {
                        "id": draft_id,
                        "organ_id": organ_id,
                        "template_id": "cong-van",
                        "version_id": "nd30-2020",
                        "data": json.dumps(example, ensure_ascii=False),
                        "created_by": "load",
                        "created_at": utcnow(),
                        "docx": b"",
                        "pdf": b"",
                    }
                    for draft_id in ids
                ],
            )
            uow.commit()
    finally:
        context.dispose()
    return organ_id, ids


def _state(stack: Stack, organ_id: str) -> tuple[list[int], list[int], list[int]]:
    """Entry numbers, document numbers and event numbers of the body, sorted."""
    context = bootstrap.context(stack.config("docgen"))
    try:
        with context.engine.connect() as conn:
            entries = conn.execute(
                select(numbering.entries.c.number).where(numbering.entries.c.organ_id == organ_id)
            ).scalars()
            docs = conn.execute(
                select(documents.c.number).where(documents.c.organ_id == organ_id)
            ).scalars()
            events = conn.execute(
                select(tables.outbox.c.body).where(tables.outbox.c.organ_id == organ_id)
            ).scalars()
            return (
                sorted(entries),
                sorted(docs),
                sorted(Envelope.from_json(b).payload["number"] for b in events),
            )
    finally:
        context.dispose()


def test_eight_processes_give_exactly_one_to_two_thousand(stack: Stack, tmp_path: Path) -> None:
    organ_id, ids = _prepare(stack, PROCESSES * PER_PROCESS)
    children = []
    for n in range(PROCESSES):
        share = tmp_path / f"drafts-{n}.json"
        share.write_text(json.dumps(ids[n * PER_PROCESS : (n + 1) * PER_PROCESS]))
        children.append(
            subprocess.Popen(
                [sys.executable, "-c", ISSUER, organ_id, str(share), str(tmp_path / f"out-{n}")],
                cwd=REPO,
                env=_env(stack),
                stderr=subprocess.PIPE,
            )
        )
    for child in children:
        _, err = child.communicate(timeout=600)
        assert child.returncode == 0, err.decode()[-3000:]
    given = [json.loads((tmp_path / f"out-{n}").read_text()) for n in range(PROCESSES)]
    # Each process saw its own numbers rise; all of them together are 1…2000 once each.
    assert all(numbers == sorted(numbers) for numbers in given)
    everything = sorted(n for numbers in given for n in numbers)
    expected = list(range(1, PROCESSES * PER_PROCESS + 1))
    assert everything == expected
    entries, docs, events = _state(stack, organ_id)
    assert entries == expected
    assert docs == expected
    assert events == expected


def test_sigkill_between_counter_and_commit_leaves_no_trace(stack: Stack, tmp_path: Path) -> None:
    organ_id, ids = _prepare(stack, 3)
    context = bootstrap.context(stack.config("docgen"))
    from services.docgen.issuing.models import IssueRequest
    from services.docgen.issuing.service import IssueService

    service = IssueService(context)
    try:
        first = service.issue(
            organ_id=organ_id, actor="t", draft_id=ids[0], request=IssueRequest(unit="VP")
        )
        assert first.row.number == 1
        marker = tmp_path / "in-the-middle"
        child = subprocess.Popen(
            [sys.executable, "-c", STALLED, organ_id, ids[1], str(marker)],
            cwd=REPO,
            env=_env(stack),
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, child.communicate()[1].decode()[-3000:]
            assert time.monotonic() < deadline, "the stalled issue never reached the middle"
            time.sleep(0.05)
        assert marker.read_text() == "2"  # it held number 2, uncommitted
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL

        # The register carries on from 2: the killed issue left no gap, no half record.
        second = service.issue(
            organ_id=organ_id, actor="t", draft_id=ids[2], request=IssueRequest(unit="VP")
        )
        assert second.row.number == 2
        # The killed one's draft was never issued, and can be now.
        third = service.issue(
            organ_id=organ_id, actor="t", draft_id=ids[1], request=IssueRequest(unit="VP")
        )
        assert third.row.number == 3
    finally:
        context.dispose()
    entries, docs, events = _state(stack, organ_id)
    assert entries == docs == events == [1, 2, 3]
    context = bootstrap.context(stack.config("docgen"))
    try:
        with context.engine.connect() as conn:
            issued_draft = conn.execute(
                select(func.count())
                .select_from(documents)
                .where(documents.c.organ_id == organ_id, documents.c.draft_id == ids[1])
            ).scalar_one()
    finally:
        context.dispose()
    assert issued_draft == 1  # once, by the retry; nothing of the killed attempt
