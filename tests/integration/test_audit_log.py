"""Every service writes who changed what, when and from where — refusals included."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from services.archive.app import create_app as archive_app
from services.docgen.app import create_app as docgen_app
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
    client.post(path, json=good)  # nobody: refused before anyone is known, not audited
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
