"""The local servers the suite and ``vanthu dev`` rely on, checked against real servers.

SeaweedFS must keep data across restarts and enforce object lock, since the archive
service relies on COMPLIANCE retention; the private RabbitMQ node must keep durable
messages across a restart; the per-run database and vhost helpers must clean up.
"""

from __future__ import annotations

import gc
import io
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from kombu import Connection, Queue
from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention
from sqlalchemy import create_engine, text

from shared.devstack.ports import free_port, port_open
from shared.devstack.seaweed import SeaweedFS
from tests.support import backing
from tests.support.rabbit_node import RabbitNode

pytestmark = pytest.mark.integration

ACCESS_KEY = "devstack-test"
SECRET_KEY = "devstack-test-secret"


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


# ---------------------------------------------------------------- SeaweedFS


@pytest.fixture(scope="module")
def weed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    server = SeaweedFS(
        tmp_path_factory.mktemp("weed"),
        s3_port=free_port(),
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
    )
    server.start()
    yield server
    server.stop()


def _locked_object(client: Minio, bucket: str, key: str, data: bytes) -> str:
    client.make_bucket(bucket, object_lock=True)
    until = datetime.now(UTC) + timedelta(days=1)
    result = client.put_object(
        bucket, key, io.BytesIO(data), len(data), retention=Retention(COMPLIANCE, until)
    )
    assert result.version_id
    return result.version_id


def test_object_lock_bucket_refuses_deleting_a_compliance_version(weed: SeaweedFS) -> None:
    client = weed.client()
    version = _locked_object(client, "lock-delete", "doc.pdf", b"%PDF-1.7 signed")

    assert client.get_bucket_versioning("lock-delete").status == "Enabled"
    retention = client.get_object_retention("lock-delete", "doc.pdf", version_id=version)
    assert retention is not None
    assert retention.mode == COMPLIANCE

    with pytest.raises(S3Error) as refused:
        client.remove_object("lock-delete", "doc.pdf", version_id=version)
    assert refused.value.code == "AccessDenied"
    client.remove_object("lock-delete", "doc.pdf")  # only adds a delete marker
    kept = client.get_object("lock-delete", "doc.pdf", version_id=version)
    try:
        assert kept.read() == b"%PDF-1.7 signed"
    finally:
        kept.close()
        kept.release_conn()


def test_requests_must_be_signed_with_the_configured_key(weed: SeaweedFS) -> None:
    host = f"127.0.0.1:{weed.s3_port}"
    wrong = Minio(host, access_key=ACCESS_KEY, secret_key="wrong-secret", secure=False)
    with pytest.raises(S3Error, match="SignatureDoesNotMatch"):
        wrong.list_buckets()
    with pytest.raises(S3Error, match="AccessDenied"):
        Minio(host, secure=False).list_buckets()


def test_restart_keeps_objects_and_stop_leaves_no_process(weed: SeaweedFS) -> None:
    client = weed.client()
    version = _locked_object(client, "lock-restart", "kept.txt", "lưu trữ".encode())
    pid = weed.pid
    assert pid is not None

    weed.stop()
    assert not weed.running
    assert _gone(pid)
    assert not port_open("127.0.0.1", weed.s3_port)

    weed.start()
    client = weed.client()
    response = client.get_object("lock-restart", "kept.txt", version_id=version)
    try:
        assert response.read().decode() == "lưu trữ"
    finally:
        response.close()
        response.release_conn()
    with pytest.raises(S3Error, match="AccessDenied"):
        client.remove_object("lock-restart", "kept.txt", version_id=version)


def test_weed_dying_during_start_is_reported_with_its_log(tmp_path: Path) -> None:
    fake = tmp_path / "weed"
    fake.write_text("#!/bin/sh\necho 'bind: address already in use' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    server = SeaweedFS(
        tmp_path / "data",
        s3_port=free_port(),
        weed=str(fake),
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
    )
    with pytest.raises(RuntimeError, match=r"exit code 3(.|\n)*address already in use"):
        server.start(timeout=10)
    assert not server.running


def test_a_server_nobody_stopped_is_killed_when_collected(tmp_path: Path) -> None:
    server = SeaweedFS(
        tmp_path / "data",
        s3_port=free_port(),
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
    )
    server.start()
    pid = server.pid
    assert pid is not None
    del server  # e.g. a test failed between start() and stop()
    gc.collect()
    assert _gone(pid)


# ---------------------------------------------------------------- private RabbitMQ node


@pytest.mark.slow
def test_private_node_keeps_a_persistent_message_across_restart() -> None:
    queue = Queue("devstack-durable", durable=True)
    with RabbitNode() as node:
        assert node.url != backing.rabbitmq_admin_url()
        with Connection(node.url) as conn:
            conn.Producer().publish(
                {"so": "12/QĐ-UBND"},
                routing_key=queue.name,
                declare=[queue],
                delivery_mode=2,
                serializer="json",
            )
        pid = node.pid
        assert pid is not None

        node.stop()
        assert _gone(pid)
        assert not port_open("127.0.0.1", node.port)
        assert port_open("127.0.0.1", 5672), "the shared broker must keep running"

        node.start()
        with Connection(node.url) as conn:
            message = queue(conn.default_channel).get(no_ack=True)
        assert message is not None
        assert message.payload == {"so": "12/QĐ-UBND"}
        base_dir = node.base_dir
    assert not base_dir.exists()


# ---------------------------------------------------------------- shared servers


def test_vhost_is_created_usable_and_deleted() -> None:
    url = backing.create_vhost()
    assert "/vanthu-test-" in url
    try:
        with Connection(url, connect_timeout=5) as conn:
            Queue("probe", durable=False, auto_delete=True)(conn.default_channel).declare()
    finally:
        backing.delete_vhost(url)
    with pytest.raises(RuntimeError, match="does not exist"):
        backing.delete_vhost(url)


def test_postgres_database_is_created_and_dropped_with_open_connections() -> None:
    url = backing.create_postgres_database(backing.postgres_admin_url())
    assert url.startswith("postgresql+psycopg://")
    engine = create_engine(url)
    try:
        conn = engine.connect()
        name = conn.execute(text("SELECT current_database()")).scalar_one()
        assert name.startswith("vanthu_test_")
        backing.drop_postgres_database(url)  # terminates the open connection
        conn.invalidate()
        conn.close()
    finally:
        engine.dispose()
    admin = backing.postgres_admin_url()
    with psycopg.connect(admin) as check:
        row = check.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert row is None
