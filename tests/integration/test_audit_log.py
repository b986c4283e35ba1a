"""Every service writes who changed what, when and from where — refusals included."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from services.archive.app import create_app as archive_app
from services.docgen.app import create_app as docgen_app
from services.docgen.orm import tables as docgen_tables
from services.intake.app import create_app as intake_app
from shared.db import make_engine
from shared.runtime import ServiceContext
from tests.conftest import ClientFor, Stack
from tests.support.organs import fresh_organ_id

pytestmark = pytest.mark.integration

# A change each service accepts, and one it refuses, for a body's admin.
CHANGES: dict[str, tuple[Any, str, dict[str, Any], dict[str, Any]]] = {
    "intake": (
        intake_app,
        "/v1/submissions",
        {"kind": "ping", "message": "Văn thư xin chào"},
        {"kind": "ping"},
    ),
    "docgen": (
        docgen_app,
        "/v1/registers",
        {"code": "hanh-chinh", "name": "Văn bản hành chính", "series": "administrative"},
        {"code": "Sai Mã", "name": "x", "series": "administrative"},
    ),
    "archive": (
        archive_app,
        "/v1/dossiers",
        {
            "FileCatalog": 2024,
            "FileNotation": "01.VP",
            "Title": "Hồ sơ thử nghiệm",
            "Maintenance": "10 năm",
            "Creator": "Lê Văn C",
        },
        {"FileCatalog": "năm nay"},
    ),
}


@pytest.mark.parametrize("service", sorted(CHANGES))
def test_changes_are_audited(service: str, stack: Stack, client_for: ClientFor) -> None:
    factory, path, good, bad = CHANGES[service]
    client = client_for(factory, stack.config(service))
    organ_id = fresh_organ_id()
    token = stack.token(("admin", "clerk", "archivist"), organ_id)
    headers = {"Authorization": f"Bearer {token}", "User-Agent": "kiem-thu/1.0"}
    accepted = client.post(path, json=good, headers=headers)
    assert accepted.status_code < 300, accepted.json
    refused = client.post(path, json=bad, headers=headers)
    assert refused.status_code == 422
    client.get(path, headers=headers)  # reading is not a change
    client.post(path, json=good)  # nobody: audited as refused, under no body (below)
    context: ServiceContext = client.application.extensions["vanthu"]
    engine = make_engine(stack.config(service).database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(context.tables.audit).where(context.tables.audit.c.organ_id == organ_id)
            ).all()
    finally:
        engine.dispose()
    assert [(r.action, r.outcome) for r in rows] == [
        (f"POST {path}", "ok"),
        (f"POST {path}", "refused"),
    ]
    assert all(r.token_id == token.split("_")[1] for r in rows)
    assert all(r.user_agent == "kiem-thu/1.0" for r in rows)
    assert all(r.ip for r in rows)


def _docgen_audit(stack: Stack, **where: str) -> list[Any]:
    audit = docgen_tables.audit
    engine = make_engine(stack.config("docgen").database_url)
    try:
        with engine.connect() as conn:
            query = select(audit)
            for column, value in where.items():
                query = query.where(audit.c[column] == value)
            return list(conn.execute(query).all())
    finally:
        engine.dispose()


def test_refused_attempts_leave_a_row_with_what_is_known(
    stack: Stack, client_for: ClientFor
) -> None:
    client = client_for(docgen_app, stack.config("docgen"))
    organ_id = fresh_organ_id()
    clerk = stack.token(("clerk",), organ_id)
    investor = stack.token(("investor",), organ_id)
    settings = {"name": "UBND", "abbreviation": "UBND", "units": {}}
    headers = {"Authorization": f"Bearer {clerk}"}
    assert client.put("/v1/registers/settings", json=settings, headers=headers).status_code == 403
    headers = {"Authorization": f"Bearer {investor}"}
    assert client.post("/v1/drafts/x/issue", json={}, headers=headers).status_code == 403
    forged = "vt_0123456789abcdef_" + "A" * 43
    headers = {"Authorization": f"Bearer {forged}", "User-Agent": "ke-gia-mao"}
    body = {"template": "cong-van", "data": {}}
    assert client.post("/v1/drafts", json=body, headers=headers).status_code == 401

    mine = _docgen_audit(stack, organ_id=organ_id)
    assert sorted((r.action, r.outcome, r.token_id) for r in mine) == sorted(
        [
            ("PUT /v1/registers/settings", "refused", clerk.split("_")[1]),
            ("POST /v1/drafts/<draft_id>/issue", "refused", investor.split("_")[1]),
        ]
    )
    assert all('"code": "forbidden"' in r.detail for r in mine)
    (unknown,) = _docgen_audit(stack, token_id="0123456789abcdef")
    assert (unknown.organ_id, unknown.action, unknown.outcome) == ("", "POST /v1/drafts", "refused")
    assert unknown.user_agent == "ke-gia-mao"
    assert '"status": 401' in unknown.detail
