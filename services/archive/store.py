"""The WORM bucket: put under retention, read a version back, extend retention.

Every call goes to S3 outside any database transaction. Objects are never
overwritten by the archive: keys are ``<OrganId>/<year>/<record id>/<sha256><ext>``
and a retry first looks whether the key already holds the bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from minio import Minio
from minio.error import S3Error
from minio.retention import COMPLIANCE, Retention

SHA256_META = "sha256"
CHUNK = 1 << 20


@dataclass(frozen=True)
class Stored:
    version_id: str | None


@dataclass(frozen=True)
class Readback:
    sha256: str | None  # None: the object version is missing
    size: int
    newer_versions: int  # versions written on the key after the archive's one


class ObjectStore:
    def __init__(self, client: Minio, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def existing(self, key: str, sha256: str) -> Stored | None:
        """The version already holding these bytes at ``key`` (a retry after a crash)."""
        try:
            versions = list(self.client.list_objects(self.bucket, prefix=key, include_version=True))
        except S3Error as exc:
            if exc.code == "NoSuchKey":
                return None
            raise
        for obj in versions:
            if obj.object_name != key or obj.is_delete_marker:
                continue
            stat = self.client.stat_object(self.bucket, key, version_id=obj.version_id)
            if _meta(stat.metadata, SHA256_META) == sha256:
                return Stored(obj.version_id)
        return None

    def put(
        self,
        key: str,
        content: bytes,
        *,
        sha256: str,
        media_type: str,
        retain_until: datetime | None,
        permanent: bool,
        check_existing: bool = True,
    ) -> Stored:
        """Put ``content`` at ``key`` under its lock, unless a retry finds it already there."""
        if check_existing:
            found = self.existing(key, sha256)
            if found is not None:
                return found
        result = self.client.put_object(
            self.bucket,
            key,
            io.BytesIO(content),
            len(content),
            content_type=media_type,
            metadata={SHA256_META: sha256},
            retention=Retention(COMPLIANCE, retain_until) if retain_until else None,
            legal_hold=permanent,
        )
        return Stored(result.version_id)

    def apply_retention(
        self, key: str, version_id: str | None, retain_until: datetime | None, permanent: bool
    ) -> None:
        """Extend (never shorten) the lock; permanent → legal hold."""
        if permanent:
            self.client.enable_object_legal_hold(self.bucket, key, version_id=version_id)
            return
        if retain_until is None:
            return
        current = self.client.get_object_retention(self.bucket, key, version_id=version_id)
        if current and current.retain_until_date and current.retain_until_date >= retain_until:
            return
        self.client.set_object_retention(
            self.bucket, key, Retention(COMPLIANCE, retain_until), version_id=version_id
        )

    def chunks(self, key: str, version_id: str | None) -> Iterator[bytes]:
        response = self.client.get_object(self.bucket, key, version_id=version_id)
        try:
            yield from response.stream(CHUNK)
        finally:
            response.close()
            response.release_conn()

    def read(self, key: str, version_id: str | None) -> bytes:
        return b"".join(self.chunks(key, version_id))

    def readback(self, key: str, version_id: str | None) -> Readback:
        """Re-hash the archive's version and count versions written after it."""
        newer = 0
        try:
            versions = [
                o
                for o in self.client.list_objects(self.bucket, prefix=key, include_version=True)
                if o.object_name == key
            ]
        except S3Error:
            versions = []
        # Listed newest first: everything before ours was written after it.
        for obj in versions:
            if obj.version_id == version_id:
                break
            newer += 1
        else:
            if version_id is not None:
                newer = 0
        digest = hashlib.sha256()
        size = 0
        try:
            for chunk in self.chunks(key, version_id):
                digest.update(chunk)
                size += len(chunk)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchVersion", "InvalidArgument"):
                return Readback(None, 0, newer)
            raise
        return Readback(digest.hexdigest(), size, newer)


def _meta(metadata: object, name: str) -> str | None:
    items = getattr(metadata, "items", None)
    if items is None:
        return None
    wanted = f"x-amz-meta-{name}".lower()
    for key, value in items():
        if str(key).lower() in (wanted, name.lower()):
            return str(value)
    return None
