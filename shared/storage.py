"""Object storage through the minio client (SeaweedFS embedded, MinIO in production)."""

from __future__ import annotations

from urllib.parse import urlsplit

import urllib3
from minio import Minio
from minio.versioningconfig import ENABLED

from shared.config import Config


def make_client(config: Config, *, timeout: float = 10.0, retries: int = 2) -> Minio:
    parts = urlsplit(config.s3_endpoint)
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=max(timeout, 30.0)),
        retries=urllib3.Retry(total=retries, backoff_factor=0.2, status_forcelist=(502, 503, 504)),
        maxsize=16,
    )
    return Minio(
        parts.netloc,
        access_key=config.s3_access_key,
        secret_key=config.s3_secret_key,
        secure=parts.scheme == "https",
        http_client=http,
    )


def ensure_bucket(client: Minio, name: str) -> None:
    """Create ``name`` with object lock (hence versioning) unless it exists.

    Object lock can only be switched on when a bucket is made, so a bucket that
    already exists without it is an error the operator must see, not fix silently.
    """
    if not client.bucket_exists(name):
        client.make_bucket(name, object_lock=True)
    versioning = client.get_bucket_versioning(name)
    if versioning.status != ENABLED:
        raise RuntimeError(
            f"bucket {name!r} exists without versioning; it must be created with object lock"
        )


def check(config: Config, timeout: float) -> None:
    """Raise unless S3 answers an authenticated call and the bucket is there (for /readyz)."""
    if not make_client(config, timeout=timeout, retries=0).bucket_exists(config.s3_bucket):
        raise RuntimeError(f"bucket {config.s3_bucket!r} does not exist")
