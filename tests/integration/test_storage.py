"""Bucket bootstrap on a real S3 server (SeaweedFS)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import uuid
from pathlib import Path

import pytest
from minio.versioningconfig import ENABLED

from shared import storage
from shared.devstack.seaweed import SeaweedFS, find_weed
from tests.conftest import Stack

pytestmark = pytest.mark.integration


def _config(embedded: Stack, seaweed: SeaweedFS, bucket: str):  # type: ignore[no-untyped-def]
    return embedded.config("archive").replace(s3_endpoint=seaweed.endpoint, s3_bucket=bucket)


def test_bucket_is_made_with_object_lock_and_versioning(
    embedded: Stack, seaweed: SeaweedFS
) -> None:
    config = _config(embedded, seaweed, f"vt-{uuid.uuid4().hex[:12]}")
    client = storage.make_client(config)
    storage.ensure_bucket(client, config.s3_bucket)
    storage.ensure_bucket(client, config.s3_bucket)  # idempotent
    assert client.get_bucket_versioning(config.s3_bucket).status == ENABLED
    assert client.get_object_lock_config(config.s3_bucket) is not None
    first = client.put_object(config.s3_bucket, "a.txt", io.BytesIO(b"one"), 3)
    second = client.put_object(config.s3_bucket, "a.txt", io.BytesIO(b"two"), 3)
    assert first.version_id
    assert second.version_id
    assert first.version_id != second.version_id
    old = client.get_object(config.s3_bucket, "a.txt", version_id=first.version_id)
    try:
        assert old.read() == b"one"  # an overwrite never loses the earlier bytes
    finally:
        old.close()
        old.release_conn()


def test_existing_bucket_without_versioning_is_an_error(
    embedded: Stack, seaweed: SeaweedFS
) -> None:
    config = _config(embedded, seaweed, f"vt-plain-{uuid.uuid4().hex[:8]}")
    client = storage.make_client(config)
    client.make_bucket(config.s3_bucket)
    with pytest.raises(RuntimeError, match="without versioning"):
        storage.ensure_bucket(client, config.s3_bucket)


def test_wrong_credentials_fail_the_check(embedded: Stack, seaweed: SeaweedFS) -> None:
    config = _config(embedded, seaweed, "vanthu-archive").replace(s3_secret_key="wrong-secret")
    with pytest.raises(Exception, match=r"(?i)signature|access|denied|forbidden"):
        storage.check(config, timeout=5)


def test_another_local_program_cannot_delete_around_the_s3_gateway(
    seaweed: SeaweedFS, tmp_path: Path
) -> None:
    """``weed shell`` on the internal ports, without the start's certificates, deletes
    nothing: without them it removed a bucket, object-locked versions and all."""
    bucket = f"vt-kept-{uuid.uuid4().hex[:8]}"
    client = seaweed.client()
    client.make_bucket(bucket, object_lock=True)
    client.put_object(bucket, "ho-so.pdf", io.BytesIO(b"%PDF-1.7 kept"), 13)
    master = f"127.0.0.1:{seaweed.master_port}.{seaweed.grpc_ports['master']}"
    filer = f"127.0.0.1:{seaweed.filer_port}.{seaweed.grpc_ports['filer']}"
    stranger = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no security.toml anywhere
    # Refused at the TLS handshake, it waits for an answer that never comes: time out.
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run(
            [find_weed(), "shell", f"-master={master}", f"-filer={filer}"],
            input=f"fs.rm -r /buckets/{bucket}\nexit\n".encode(),
            capture_output=True,
            cwd=tmp_path,
            env=stranger,
            timeout=20,
            check=False,
        )
    assert client.get_object(bucket, "ho-so.pdf").read() == b"%PDF-1.7 kept"
    security = seaweed.data_dir / "security"
    assert security.stat().st_mode & 0o777 == 0o700
    assert (security / "node.key").stat().st_mode & 0o777 == 0o600
