"""/readyz names the dependency that is down."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.archive.app import create_app as archive_app
from services.docgen.app import create_app as docgen_app
from services.intake.app import create_app as intake_app
from shared import storage
from shared.devstack.ports import free_port
from shared.devstack.seaweed import SeaweedFS
from tests.conftest import S3_KEYS, ClientFor, Stack

pytestmark = pytest.mark.integration

FACTORIES = {"intake": intake_app, "docgen": docgen_app, "archive": archive_app}


def test_all_ready_on_real_servers(
    stack: Stack, seaweed: SeaweedFS, client_for: ClientFor
) -> None:
    for service, factory in FACTORIES.items():
        config = stack.config(service).replace(s3_endpoint=seaweed.endpoint)
        storage.ensure_bucket(storage.make_client(config), config.s3_bucket)
        response = client_for(factory, config).get("/readyz")
        assert response.status_code == 200, response.get_json(force=True)
        checks = response.json["checks"]
        assert set(checks) >= {"database", "broker"}
        assert ("s3" in checks) == (service == "archive")


@pytest.mark.parametrize("service", list(FACTORIES))
def test_stopped_broker_is_named(
    embedded: Stack, service: str, seaweed: SeaweedFS, client_for: ClientFor
) -> None:
    closed = free_port()  # nothing listens here: a stopped RabbitMQ
    config = embedded.config(service).replace(
        broker_url=f"amqp://guest:guest@127.0.0.1:{closed}//",
        ready_timeout_seconds=2,
        s3_endpoint=seaweed.endpoint,
    )
    storage.ensure_bucket(storage.make_client(config), config.s3_bucket)
    response = client_for(FACTORIES[service], config).get("/readyz")
    assert response.status_code == 503
    body = response.get_json(force=True)
    assert body["code"] == "not_ready"
    assert body["failing"] == ["broker"]
    assert "broker" in body["detail"]


def test_stopped_object_storage_is_named_by_archive(
    embedded: Stack, tmp_path: Path, client_for: ClientFor
) -> None:
    server = SeaweedFS(tmp_path / "s3", s3_port=free_port(), **S3_KEYS)
    server.start()
    config = embedded.config("archive").replace(s3_endpoint=server.endpoint)
    client = client_for(archive_app, config)
    try:
        storage.ensure_bucket(storage.make_client(config), config.s3_bucket)
        assert client.get("/readyz").status_code == 200
    finally:
        server.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json(force=True)["failing"] == ["s3"]


def test_the_probe_names_the_check_and_keeps_the_details_for_the_logs(
    embedded: Stack, client_for: ClientFor, caplog: pytest.LogCaptureFixture
) -> None:
    closed = free_port()
    config = embedded.config("docgen").replace(
        database_url=f"postgresql://secret-user:pw@127.0.0.1:{closed}/vanthu_docgen_db",
        ready_timeout_seconds=1,
    )
    response = client_for(docgen_app, config).get("/readyz")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert response.get_json(force=True)["checks"]["database"] == "failed"
    for detail in (str(closed), "vanthu_docgen_db", "secret-user", "127.0.0.1"):
        assert detail not in body
    assert any(str(closed) in str(getattr(r, "errors", "")) for r in caplog.records)


def test_unreachable_database_is_named(
    embedded: Stack, tmp_path: Path, client_for: ClientFor
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the database folder should be")
    config = embedded.config("docgen").replace(
        database_url=f"sqlite:///{blocked}/docgen.sqlite3"
    )
    response = client_for(docgen_app, config).get("/readyz")
    assert response.status_code == 503
    assert response.get_json(force=True)["failing"] == ["database"]
