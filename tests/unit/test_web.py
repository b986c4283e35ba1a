"""The web shell every service shares: problems, auth, validation, probes, OpenAPI."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.archive.app import create_app as archive_app
from services.docgen.app import create_app as docgen_app
from services.intake.app import create_app as intake_app
from shared.web.api import SPEC_ATTRIBUTE, json_depth
from tests.conftest import ORGAN, OTHER_ORGAN, ClientFor, Stack

PING = {"kind": "ping", "message": "Kính gửi: UBND các xã"}


@pytest.fixture
def intake(embedded: Stack, client_for: ClientFor) -> FlaskClient:
    return client_for(intake_app, embedded.config("intake"))


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["code"] == code
    assert body["status"] == status
    assert body["detail"]  # a Vietnamese sentence for the clerk
    return dict(body)


@pytest.mark.parametrize("factory", [intake_app, docgen_app, archive_app])
def test_factory_builds_each_service(embedded: Stack, factory) -> None:  # type: ignore[no-untyped-def]
    app: Flask = factory(embedded.config("intake").replace(service="docgen"))
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {"/healthz", "/readyz", "/metrics", "/openapi.json"} <= rules
    assert app.test_client().get("/healthz").status_code == 200


def test_submission_needs_a_token(intake: FlaskClient) -> None:
    assert_problem(intake.post("/v1/submissions", json=PING), 401, "unauthenticated")


def test_wrong_token_is_401(intake: FlaskClient) -> None:
    response = intake.post("/v1/submissions", json=PING, headers=auth("vt_bad"))
    assert_problem(response, 401, "unauthenticated")


def test_role_without_permission_is_403(intake: FlaskClient, embedded: Stack) -> None:
    token = embedded.token(roles=("archivist",))
    assert_problem(intake.post("/v1/submissions", json=PING, headers=auth(token)), 403, "forbidden")


def test_another_bodys_data_is_403(intake: FlaskClient, embedded: Stack) -> None:
    mine = intake.post("/v1/submissions", json=PING, headers=auth(embedded.token()))
    assert mine.status_code == 202
    theirs = embedded.token(organ_id=OTHER_ORGAN)
    response = intake.get(f"/v1/submissions/{mine.json['id']}", headers=auth(theirs))
    assert_problem(response, 403, "wrong_body")
    own = intake.get(f"/v1/submissions/{mine.json['id']}", headers=auth(embedded.token()))
    assert own.status_code == 200
    assert own.json["organ_id"] == ORGAN


def test_validation_errors_are_per_field_and_vietnamese(
    intake: FlaskClient, embedded: Stack
) -> None:
    body = {"kind": "ping", "message": "", "extra": 1}
    response = intake.post("/v1/submissions", json=body, headers=auth(embedded.token()))
    problem = assert_problem(response, 422, "validation_failed")
    fields = {e["field"]: e for e in problem["errors"]}
    assert fields["message"]["code"] == "string_too_short"
    assert "tối thiểu 1 ký tự" in fields["message"]["message"]
    assert fields["extra"]["code"] == "extra_forbidden"


def test_refused_submission_leaves_nothing(intake: FlaskClient, embedded: Stack) -> None:
    from sqlalchemy import func, select

    from services.intake.orm import submissions, tables
    from shared.db import make_engine

    token = embedded.token()
    intake.post("/v1/submissions", json={"kind": "ping"}, headers=auth(token))
    intake.post(
        "/v1/submissions", data="{not json", headers=auth(token), content_type="application/json"
    )
    engine = make_engine(embedded.config("intake").database_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(submissions)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(tables.outbox)).scalar() == 0


def test_accepted_submission_is_stored_nfc_with_its_event(
    intake: FlaskClient, embedded: Stack
) -> None:
    from sqlalchemy import select

    from services.intake.orm import submissions, tables
    from shared.db import make_engine

    decomposed = "Ha\u0300 No\u0302\u0323i"  # "Hà Nội" typed with combining marks
    body = {"kind": "ping", "message": decomposed}
    response = intake.post("/v1/submissions", json=body, headers=auth(embedded.token()))
    assert response.status_code == 202
    engine = make_engine(embedded.config("intake").database_url)
    with engine.connect() as conn:
        row = conn.execute(select(submissions)).one()
        event = conn.execute(select(tables.outbox)).one()
    assert json.loads(row.payload)["message"] == "Hà Nội"
    assert row.organ_id == ORGAN
    assert event.routing_key == "submission.ping"
    assert json.loads(event.body)["payload"]["submission_id"] == response.json["id"]


def test_malformed_json_and_wrong_media_type(intake: FlaskClient, embedded: Stack) -> None:
    token = embedded.token()
    broken = intake.post(
        "/v1/submissions", data="{", headers=auth(token), content_type="application/json"
    )
    assert_problem(broken, 400, "malformed_json")
    form = intake.post("/v1/submissions", data={"kind": "ping"}, headers=auth(token))
    assert_problem(form, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("factory", "path", "depth"),
    [
        (intake_app, "/v1/submissions", 600),  # parsed, then too deep for the walks after
        (docgen_app, "/v1/drafts", 5000),  # too deep for the JSON decoder itself
        (intake_app, "/v1/submissions", 65),
    ],
)
def test_deeply_nested_json_is_400_too_deep(  # type: ignore[no-untyped-def]
    embedded: Stack, client_for: ClientFor, factory, path: str, depth: int
) -> None:
    service = factory.__module__.split(".")[1]
    client = client_for(factory, embedded.config("intake").replace(service=service))
    nested = "[" * depth + "]" * depth
    body = '{"kind": "ping", "template": "cong-van", "message": "x", "data": ' + nested + "}"
    response = client.post(
        path, data=body, headers=auth(embedded.token()), content_type="application/json"
    )
    assert_problem(response, 400, "too_deep")


def test_nesting_up_to_the_limit_is_read(intake: FlaskClient, embedded: Stack) -> None:
    nested = "[" * 63 + "]" * 63  # 64 levels with the object around it
    body = '{"kind": "ping", "message": "x", "data": ' + nested + "}"
    headers = auth(embedded.token())
    response = intake.post(
        "/v1/submissions", data=body, headers=headers, content_type="application/json"
    )
    assert_problem(response, 422, "validation_failed")  # read, then refused for its content
    assert json_depth({"a": [1, {"b": []}], "c": "x"}) == 4
    assert json_depth("x") == 0


def test_oversized_body_is_413(embedded: Stack, client_for: ClientFor) -> None:
    config = embedded.config("intake").replace(max_body_bytes=2048)
    client = client_for(intake_app, config)
    body = {"kind": "ping", "message": "x" * 5000}
    response = client.post("/v1/submissions", json=body, headers=auth(embedded.token()))
    assert_problem(response, 413, "payload_too_large")


def test_unknown_path_and_method_are_problems(intake: FlaskClient) -> None:
    assert_problem(intake.get("/v1/nothing-here"), 404, "not_found")
    response = intake.delete("/v1/submissions")
    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_crash_is_a_500_problem_without_internals(embedded: Stack) -> None:
    app = intake_app(embedded.config("intake"))

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = assert_problem(response, 500, "internal_error")
    assert "secret" not in json.dumps(body)


def test_request_id_is_echoed_or_made(intake: FlaskClient) -> None:
    given = intake.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert given.headers["X-Request-Id"] == "abc-123"
    made = intake.get("/healthz", headers={"X-Request-Id": "bad id with spaces"})
    assert made.headers["X-Request-Id"] not in ("", "bad id with spaces")
    problem = intake.get("/v1/nowhere", headers={"X-Request-Id": "req-9"}).get_json(force=True)
    assert problem["request_id"] == "req-9"


def test_metrics_count_requests(intake: FlaskClient) -> None:
    intake.get("/healthz")
    text = intake.get("/metrics").get_data(as_text=True)
    assert (
        'vanthu_http_requests_total{endpoint="/healthz",method="GET",service="intake",status="200"}'
        in text
    )


def test_openapi_documents_every_v1_route_from_its_models(intake: FlaskClient) -> None:
    spec = intake.get("/openapi.json").json
    post = spec["paths"]["/v1/submissions"]["post"]
    schema_ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    name = schema_ref.rsplit("/", 1)[1]
    assert name in spec["components"]["schemas"]
    assert "PingSubmission" in spec["components"]["schemas"]
    assert post["security"] == [{"bearer": []}]
    assert set(post["responses"]) >= {"202", "401", "403", "422"}
    assert "/v1/submissions/{submission_id}" in spec["paths"]


@pytest.mark.parametrize("factory", [intake_app, docgen_app, archive_app])
def test_every_v1_view_declares_its_contract(embedded: Stack, factory) -> None:  # type: ignore[no-untyped-def]
    app: Flask = factory(embedded.config("intake"))
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/v1"):
            spec = getattr(app.view_functions[rule.endpoint], SPEC_ATTRIBUTE, None)
            assert spec is not None, f"{rule.rule} has no @endpoint"
            assert not spec.public, f"{rule.rule} must require a token"
