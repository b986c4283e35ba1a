"""POST /v1/submissions: every kind accepted and forwarded; bad input refused, nothing left.

On the embedded stack and on PostgreSQL + RabbitMQ. Each test uses a fresh body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from services.docgen.orm import draft_requests, drafts
from services.intake.orm import submissions
from services.intake.orm import tables as intake_tables
from shared.vn.legacy import from_unicode
from tests.conftest import ClientFor, Stack
from tests.integration.intake.support import (
    Clock,
    Desk,
    count,
    example,
    forget_assignments,
    monthly_report,
    rows,
    wait_for,
    workers,
)
from tests.support.organs import fresh_organ_id

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 10)
REPORTERS = [{"id": "ban-qlda", "name": "Ban Quản lý dự án tỉnh", "projects": []}]


@pytest.fixture
def desk(stack: Stack, client_for: ClientFor) -> Iterator[Desk]:
    made = Desk(stack, client_for, fresh_organ_id(), Clock(TODAY))
    yield made
    forget_assignments(stack, made.organ_id)


def _outbox(desk: Desk, event: str) -> list[dict[str, Any]]:
    found = rows(desk.stack, "intake", select(intake_tables.outbox))
    bodies = [json.loads(r.body) for r in found if r.routing_key == event]
    return [b for b in bodies if b["organ_id"] == desk.organ_id]


def _nothing_stored(desk: Desk) -> None:
    assert count(desk.stack, "intake", submissions, organ_id=desk.organ_id) == 0
    assert _outbox(desk, "submission.accepted") == []


KINDS = [
    ({"kind": "dispatch_request", "document": example("cong-van")}, "cong-van"),
    ({"kind": "handover", "document": example("bien-ban-ban-giao")}, "bien-ban-ban-giao"),
    (
        {"kind": "payment", "form": "mau-03a-tt", "document": example("mau-03a-tt")},
        "mau-03a-tt",
    ),
    (
        {"kind": "payment", "form": "mau-04a-tt", "document": example("mau-04a-tt")},
        "mau-04a-tt",
    ),
    (
        {"kind": "payment", "form": "mau-03-qtda", "document": example("mau-03-qtda")},
        "mau-03-qtda",
    ),
]


@pytest.mark.parametrize(("body", "template"), KINDS, ids=[t for _, t in KINDS])
def test_each_kind_is_stored_and_forwarded(desk: Desk, body: dict[str, Any], template: str) -> None:
    made = desk.submit(body)
    assert made.status_code == 202, made.json
    assert made.json["template"] == template
    assert made.json["status"] == "accepted"
    assert made.json["converted"] == []
    events = _outbox(desk, "submission.accepted")
    assert len(events) == 1
    payload = events[0]["payload"]
    assert payload["submission_id"] == made.json["id"]
    assert payload["template"] == template
    assert payload["data"] == made.json["data"]["document"]
    shown = desk.get(made.json["id"])
    assert shown.status_code == 200
    assert shown.json["template"] == template


def test_monthly_report_needs_an_assigned_obligation(desk: Desk) -> None:
    refused = desk.submit(monthly_report("ban-qlda", 2026, 3, TODAY), role="investor")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json["errors"]] == ["obligation_id"]
    assert desk.assign(REPORTERS, since="2026-03-01").status_code == 200
    unknown = desk.submit(monthly_report("ai-do", 2026, 3, TODAY), role="investor")
    assert [e["field"] for e in unknown.json["errors"]] == ["reporter"]
    future = desk.submit(monthly_report("ban-qlda", 2026, 4, date(2026, 4, 2)), role="investor")
    assert "period" in [e["field"] for e in future.json["errors"]]
    mismatch = monthly_report("ban-qlda", 2026, 3, TODAY)
    mismatch["period"] = "2026-02"
    wrong = desk.submit(mismatch, role="investor")
    assert wrong.status_code == 422
    _nothing_stored(desk)
    made = desk.submit(monthly_report("ban-qlda", 2026, 3, TODAY), role="investor")
    assert made.status_code == 202, made.json
    assert made.json["late"] is False
    assert made.json["days_late"] == 0
    assert made.json["period"] == "2026-03"


def test_legacy_text_is_converted_and_flagged(desk: Desk) -> None:
    document = example("cong-van")
    subject = "đôn đốc báo cáo tiến độ giải ngân vốn đầu tư công"
    document["subject"] = from_unicode(subject, "tcvn3")
    document["recipients"] = [from_unicode("Ủy ban nhân dân các xã, thị trấn", "vni")]
    document["paragraphs"][0] = "Cộng hòa xã hội chủ nghĩa Việt Nam".replace(
        "ộ", "o\u0323\u0302"
    )  # decomposed: NFC at the door
    made = desk.submit({"kind": "dispatch_request", "document": document})
    assert made.status_code == 202, made.json
    assert sorted((c["field"], c["encoding"]) for c in made.json["converted"]) == [
        ("document.recipients.0", "vni"),
        ("document.subject", "tcvn3"),
    ]
    stored = made.json["data"]["document"]
    assert stored["subject"] == subject
    assert stored["recipients"] == ["Ủy ban nhân dân các xã, thị trấn"]
    assert stored["paragraphs"][0] == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert desk.get(made.json["id"]).json["converted"] == made.json["converted"]


def test_script_in_text_is_kept_as_text(desk: Desk) -> None:
    document = example("cong-van")
    document["subject"] = "<script>alert('x')</script> & <b>đậm</b>"
    made = desk.submit({"kind": "dispatch_request", "document": document})
    assert made.status_code == 202, made.json
    shown = desk.get(made.json["id"])
    assert shown.mimetype == "application/json"
    assert shown.json["data"]["document"]["subject"] == document["subject"]


def _refused(desk: Desk, response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == code
    _nothing_stored(desk)
    result: dict[str, Any] = response.json
    return result


def test_malformed_json(desk: Desk) -> None:
    response = desk.client.post(
        "/v1/submissions",
        data=b'{"kind": "ping", "message": ',
        content_type="application/json",
        headers=desk.tokens["clerk"],
    )
    _refused(desk, response, 400, "malformed_json")


def test_wrong_types_and_unknown_kind(desk: Desk) -> None:
    document = example("bien-ban-ban-giao")
    document["items"][0]["quantity"] = "mười"
    document["giver"] = "Bên A"
    problem = _refused(
        desk, desk.submit({"kind": "handover", "document": document}), 422, "validation_failed"
    )
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert fields["document.items.0.quantity"] == "Giá trị phải là số."
    assert fields["document.giver"] == "Giá trị phải là một đối tượng JSON."
    unknown = _refused(desk, desk.submit({"kind": "tro-chuyen"}), 422, "validation_failed")
    assert "Loại không hợp lệ" in unknown["errors"][0]["message"]
    listed = _refused(desk, desk.submit([1, 2]), 422, "validation_failed")
    assert listed["errors"]


def test_impossible_date(desk: Desk) -> None:
    document = example("cong-van")
    document["issued_on"] = "2024-02-31"
    problem = _refused(
        desk,
        desk.submit({"kind": "dispatch_request", "document": document}),
        422,
        "validation_failed",
    )
    assert problem["errors"] == [
        {
            "field": "document.issued_on",
            "code": "date_from_datetime_parsing",
            "message": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
        }
    ]


def test_negative_amount(desk: Desk) -> None:
    document = example("mau-04a-tt")
    document["lines"][0]["request_domestic"] = "-1000"
    problem = _refused(
        desk,
        desk.submit({"kind": "payment", "form": "mau-04a-tt", "document": document}),
        422,
        "validation_failed",
    )
    assert problem["errors"][0]["field"] == "document.lines.0.request_domestic"
    assert problem["errors"][0]["message"] == "Giá trị phải lớn hơn hoặc bằng 0."


def test_numbered_document_is_refused(desk: Desk) -> None:
    document = example("cong-van")
    document["number"] = 12
    problem = _refused(
        desk,
        desk.submit({"kind": "dispatch_request", "document": document}),
        422,
        "validation_failed",
    )
    assert [e["code"] for e in problem["errors"]] == ["draft_numbered"]


def test_oversized_body(stack: Stack, client_for: ClientFor) -> None:
    small = Stack(stack.kind, {**stack.environ, "VANTHU_MAX_BODY_BYTES": "4096"})
    desk = Desk(small, client_for, fresh_organ_id(), Clock(TODAY))
    document = example("cong-van")
    document["paragraphs"] = ["Nội dung dài. " * 400]
    _refused(
        desk,
        desk.submit({"kind": "dispatch_request", "document": document}),
        413,
        "payload_too_large",
    )


def test_revoked_or_bad_token(desk: Desk, stack: Stack) -> None:
    from shared.auth import TokenStore
    from shared.db import make_engine

    header = desk.tokens["clerk"]["Authorization"]
    token_id = header.removeprefix("Bearer vt_").split("_", 1)[0]
    engine = make_engine(stack.config("intake").auth_database_url)
    try:
        assert TokenStore(engine).revoke(token_id)
    finally:
        engine.dispose()
    body = {"kind": "dispatch_request", "document": example("cong-van")}
    revoked = _refused(desk, desk.submit(body), 401, "unauthenticated")
    assert "thu hồi" in revoked["detail"]
    forged = desk.client.post(
        "/v1/submissions", json=body, headers={"Authorization": "Bearer vt_0000_nope"}
    )
    _refused(desk, forged, 401, "unauthenticated")
    leader = {"Authorization": f"Bearer {stack.token(('leader',), desk.organ_id)}"}
    _refused(desk, desk.client.post("/v1/submissions", json=body, headers=leader), 403, "forbidden")


def test_accepted_submission_becomes_one_draft(desk: Desk, stack: Stack) -> None:
    made = desk.submit({"kind": "dispatch_request", "document": example("cong-van")})
    assert made.status_code == 202, made.json
    submission_id = made.json["id"]
    with workers(stack):
        shown = wait_for(
            "the draft linked to the submission",
            lambda: (r := desk.get(submission_id).json)["draft_id"] and r,
        )
    assert shown["status"] == "drafted"
    found = rows(stack, "docgen", select(drafts).where(drafts.c.id == shown["draft_id"]))
    assert len(found) == 1
    assert found[0].template_id == "cong-van"
    assert found[0].pdf.startswith(b"%PDF")
    assert count(stack, "docgen", draft_requests, key=f"submission:{submission_id}") == 1


def test_redelivered_request_makes_one_draft(desk: Desk, stack: Stack) -> None:
    from services.docgen import bootstrap as docgen_bootstrap
    from services.docgen.drafts.handlers import draft_announcer, draft_preparer
    from services.docgen.orm import tables as docgen_tables
    from services.docgen.rendering import Renderer
    from shared.bus import Envelope

    made = desk.submit({"kind": "handover", "document": example("bien-ban-ban-giao")})
    assert made.status_code == 202, made.json
    envelope = Envelope.from_json(_outbox(desk, "submission.accepted")[0])
    context = docgen_bootstrap.context(stack.config("docgen"))
    try:
        fonts = context.config.var_dir / "cache" / "fonts"
        prepare = draft_preparer(context, Renderer(font_cache_dir=fonts))
        announce = draft_announcer(context.outbox)
        for _ in range(2):  # delivered twice: rendered and stored once, announced each time
            prepare(envelope)
            with context.uow() as uow:
                announce(uow.session, envelope)
                uow.commit()
    finally:
        context.dispose()
    key = f"submission:{made.json['id']}"
    assert count(stack, "docgen", draft_requests, key=key) == 1
    assert count(stack, "docgen", drafts, organ_id=desk.organ_id) == 1
    announced = [
        json.loads(r.body)
        for r in rows(stack, "docgen", select(docgen_tables.outbox))
        if r.routing_key == "draft.created"
    ]
    mine = [a["payload"] for a in announced if a["organ_id"] == desk.organ_id]
    assert len({a["draft_id"] for a in mine}) == 1
    assert mine[0]["submission_id"] == made.json["id"]
