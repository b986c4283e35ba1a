"""Attachment payloads: size-checked base64 decoding, zip inspection, type sniffing."""

from __future__ import annotations

import base64
import binascii
import io
import mimetypes
import zipfile
from dataclasses import dataclass

from shared.edxml.errors import PacketRefused, Refusal
from shared.edxml.model import Limits

__all__ = [
    "MAGIC",
    "ZipMember",
    "check_declared_type",
    "decode_base64",
    "decoded_size",
    "expected_kind",
    "guess_content_type",
    "inspect_zip",
    "sniff",
]

#: Kinds of file we recognise by their first bytes.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),  # .doc, .xls, .ppt
    "xml": (b"<?xml", b"\xef\xbb\xbf<?xml"),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "tiff": (b"II*\x00", b"MM\x00*"),
}

#: Expected kind per MIME type and per file extension.
_BY_MIME = {
    "application/pdf": "pdf",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/msword": "ole",
    "application/vnd.ms-excel": "ole",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "zip",
    "application/vnd.oasis.opendocument.text": "zip",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/tiff": "tiff",
}
_BY_EXTENSION = {
    "pdf": "pdf",
    "zip": "zip",
    "doc": "ole",
    "xls": "ole",
    "ppt": "ole",
    "docx": "zip",
    "xlsx": "zip",
    "pptx": "zip",
    "odt": "zip",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "tif": "tiff",
    "tiff": "tiff",
    "xml": "xml",
    "edxml": "xml",
}


@dataclass(frozen=True)
class ZipMember:
    """One file inside a zipped attachment (size actually inflated, first bytes)."""

    name: str
    size: int
    head: bytes


def sniff(data: bytes) -> str | None:
    """The kind of ``data`` by its magic number, or ``None``."""
    for kind, prefixes in MAGIC.items():
        if data.startswith(prefixes):
            return kind
    return None


def expected_kind(content_type: str | None, name: str | None) -> str | None:
    """What ``content_type`` (or, failing that, the name's extension) promises."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in _BY_MIME:
        return _BY_MIME[mime]
    return extension_kind(name)


def extension_kind(name: str | None) -> str | None:
    """The kind promised by a file name's extension."""
    if not name or "." not in name:
        return None
    return _BY_EXTENSION.get(name.rsplit(".", 1)[1].lower())


def guess_content_type(name: str, data: bytes) -> str:
    """A MIME type for a file we are about to send."""
    kind = sniff(data)
    if kind == "pdf":
        return "application/pdf"
    guessed, _ = mimetypes.guess_type(name)
    if guessed:
        return guessed
    return "application/zip" if kind == "zip" else "application/octet-stream"


def decoded_size(text: str) -> int:
    """Exact decoded size of base64 ``text`` without decoding it (whitespace ignored)."""
    length = len(text) - sum(text.count(c) for c in " \t\r\n")
    tail = text.rstrip(" \t\r\n")
    padding = min(len(tail) - len(tail.rstrip("=")), 2)
    return length // 4 * 3 - padding + (length % 4 * 3 // 4)


def decode_base64(text: str, limits: Limits, label: str) -> bytes:
    """Decode one attachment, refusing before decoding when it would exceed the limit."""
    upper_bound = len(text) * 3 // 4
    if upper_bound > limits.max_attachment_bytes:
        size = decoded_size(text)
        if size > limits.max_attachment_bytes:
            raise PacketRefused(
                Refusal.ATTACHMENT_TOO_LARGE,
                f"Tệp đính kèm {label} có kích thước {size} byte, vượt giới hạn "
                f"{limits.max_attachment_bytes} byte",
            )
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PacketRefused(
            Refusal.ATTACHMENT_BASE64,
            f"Tệp đính kèm {label} không phải dữ liệu base64 hợp lệ ({exc})",
        ) from None


def inspect_zip(data: bytes, limits: Limits, label: str) -> list[ZipMember]:
    """Inflate every member while counting bytes; refuse bombs, corrupt or encrypted zips.

    The declared sizes in the headers are checked first, then the actual inflated
    bytes, so a header that lies cannot get past the limit.
    """
    budget = limits.max_unzipped_bytes
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_zip_members:
                raise PacketRefused(
                    Refusal.ATTACHMENT_ZIP,
                    f"Tệp nén {label} có {len(infos)} tệp con, vượt giới hạn "
                    f"{limits.max_zip_members}",
                )
            declared = sum(info.file_size for info in infos)
            if declared > budget:
                raise _bomb(label, declared, budget, "khai báo")
            members: list[ZipMember] = []
            total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise PacketRefused(
                        Refusal.ATTACHMENT_ZIP,
                        f"Tệp nén {label} có tệp con được mã hóa ({info.filename})",
                    )
                size = 0
                head = b""
                with archive.open(info) as member:
                    while chunk := member.read(1024 * 1024):
                        if not head:
                            head = chunk[:16]
                        size += len(chunk)
                        total += len(chunk)
                        if total > budget:
                            raise _bomb(label, total, budget, "thực tế")
                members.append(ZipMember(info.filename, size, head))
            return members
    except PacketRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise PacketRefused(
            Refusal.ATTACHMENT_ZIP, f"Tệp nén {label} bị hỏng hoặc không đọc được ({exc})"
        ) from None
    except Exception as exc:  # zlib.error and friends from a crafted stream
        raise PacketRefused(
            Refusal.ATTACHMENT_ZIP, f"Tệp nén {label} bị hỏng hoặc không đọc được ({exc})"
        ) from None


def _bomb(label: str, size: int, budget: int, how: str) -> PacketRefused:
    return PacketRefused(
        Refusal.ZIP_BOMB,
        f"Tệp nén {label} giải nén ra ít nhất {size} byte ({how}), vượt giới hạn {budget} byte",
    )


def check_declared_type(data: bytes, content_type: str | None, name: str | None) -> str | None:
    """Compare the content with its declared type.

    Returns ``None`` when they agree (or nothing is promised), the actual kind when
    the content is another recognised kind (a warning), and raises when the
    content is not what was promised and not recognisable at all.
    """
    promised = expected_kind(content_type, name)
    if promised is None:
        return None
    actual = sniff(data)
    if actual == promised:
        return None
    if actual is None:
        raise PacketRefused(
            Refusal.ATTACHMENT_CONTENT,
            f"Tệp đính kèm {name or ''} khai báo kiểu {content_type} nhưng nội dung không phải "
            f"tệp {promised.upper()} (bắt đầu bằng {data[:8]!r})",
        )
    return actual
