"""POST /v1/drafts and the template endpoints, over HTTP on the embedded stack."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.docgen.app import create_app
from tests.conftest import OTHER_ORGAN, REPO, ClientFor, Stack


@pytest.fixture
def docgen(embedded: Stack, client_for: ClientFor) -> FlaskClient:
    return client_for(create_app, embedded.config("docgen"))


@pytest.fixture
def example() -> dict[str, Any]:
    data = json.loads(
        (REPO / "services/docgen/templates/examples/cong-van.json").read_text(encoding="utf-8")
    )
    data.pop("number")
    return dict(data)


def auth(stack: Stack, organ_id: str | None = None) -> dict[str, str]:
    token = stack.token(organ_id=organ_id) if organ_id else stack.token()
    return {"Authorization": f"Bearer {token}"}


def test_draft_is_rendered_unnumbered_in_both_formats(
    docgen: FlaskClient, embedded: Stack, example: dict[str, Any], tmp_path: Path
) -> None:
    headers = auth(embedded)
    created = docgen.post(
        "/v1/drafts", json={"template": "cong-van", "data": example}, headers=headers
    )
    assert created.status_code == 201, created.get_json(force=True)
    draft = created.json
    assert draft["template"] == "cong-van"
    assert draft["version"] == "nd30-2020"

    pdf = docgen.get(draft["links"]["pdf"], headers=headers)
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    (tmp_path / "draft.pdf").write_bytes(pdf.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "draft.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "tăng cường sử dụng chữ ký số" in text
    assert "/UBND-VP" in text
    assert "152/UBND-VP" not in text  # a draft has no number yet

    docx = docgen.get(draft["links"]["docx"], headers=headers)
    assert docx.status_code == 200
    assert docx.data[:2] == b"PK"
    assert "wordprocessingml" in docx.mimetype
    assert docgen.get(f"/v1/drafts/{draft['id']}", headers=headers).json == draft


def test_a_numbered_draft_is_refused(
    docgen: FlaskClient, embedded: Stack, example: dict[str, Any]
) -> None:
    body = {"template": "cong-van", "data": {**example, "number": 7}}
    response = docgen.post("/v1/drafts", json=body, headers=auth(embedded))
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "data.number"


def test_bad_data_gets_field_errors_under_data(
    docgen: FlaskClient, embedded: Stack, example: dict[str, Any]
) -> None:
    broken = {**example, "issuer": {**example["issuer"], "name": ""}, "issued_on": "07/03/2024"}
    response = docgen.post(
        "/v1/drafts", json={"template": "cong-van", "data": broken}, headers=auth(embedded)
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert {"data.issuer.name", "data.issued_on"} <= fields


def test_unknown_template_and_uncovered_date(
    docgen: FlaskClient, embedded: Stack, example: dict[str, Any]
) -> None:
    headers = auth(embedded)
    unknown = docgen.post(
        "/v1/drafts", json={"template": "khong-co", "data": example}, headers=headers
    )
    assert unknown.status_code == 422
    assert unknown.json["errors"][0]["field"] == "template"
    old = {**example, "issued_on": "2019-12-31"}  # before Nghị định 30/2020 took effect
    response = docgen.post(
        "/v1/drafts", json={"template": "cong-van", "data": old}, headers=headers
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "data.issued_on"
    assert "31/12/2019" in response.json["errors"][0]["message"]


def test_another_body_cannot_read_a_draft(
    docgen: FlaskClient, embedded: Stack, example: dict[str, Any]
) -> None:
    created = docgen.post(
        "/v1/drafts", json={"template": "cong-van", "data": example}, headers=auth(embedded)
    ).json
    stranger = auth(embedded, OTHER_ORGAN)
    assert docgen.get(created["links"]["pdf"], headers=stranger).status_code == 403
    assert docgen.get(f"/v1/drafts/{created['id']}", headers=stranger).status_code == 403


def test_template_list_and_schema(docgen: FlaskClient, embedded: Stack) -> None:
    headers = auth(embedded)
    listed = docgen.get("/v1/templates", headers=headers).json["templates"]
    assert {"cong-van", "cong-van-don-doc"} <= {t["id"] for t in listed}
    schema = docgen.get("/v1/templates/cong-van/schema", headers=headers).json
    assert {"issuer", "subject", "recipients", "paragraphs"} <= set(schema["properties"])
    assert docgen.get("/v1/templates/khong-co/schema", headers=headers).status_code == 404
