"""Turning untrusted bytes into an lxml tree: no DTD, no entities, no network, bounded size."""

from __future__ import annotations

import re

from lxml import etree

from shared.edxml.errors import PacketRefused, PacketWarning, Refusal, Warn
from shared.edxml.model import Limits

__all__ = ["load_xml", "safe_parser"]

_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_ASCII_COMPATIBLE = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "windows-1252"}
_EXTERNAL_ENTITY = re.compile(rb"<!ENTITY\s+%?\s*[^\s>]+\s+(SYSTEM|PUBLIC)\s+[\"']([^\"']*)")
_UTF8_BOM = b"\xef\xbb\xbf"


def safe_parser() -> etree.XMLParser:
    """An lxml parser that never loads a DTD, expands an entity or opens a URL.

    ``huge_tree`` is on because attachments are large text nodes; it is only
    safe together with the DTD refusal done by :func:`load_xml` before parsing.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_pis=True,
    )


def _prescan(data: bytes, limits: Limits) -> list[PacketWarning]:
    warnings: list[PacketWarning] = []
    if not data.strip():
        raise PacketRefused(Refusal.EMPTY, "Tệp rỗng, không có nội dung gói tin")
    if len(data) > limits.max_packet_bytes:
        raise PacketRefused(
            Refusal.TOO_LARGE,
            f"Gói tin {len(data)} byte, vượt giới hạn {limits.max_packet_bytes} byte",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        raise PacketRefused(Refusal.ENCODING, "Gói tin phải mã hóa UTF-8 (nhận được UTF-16/32)")
    match = _DECLARED_ENCODING.match(data.removeprefix(_UTF8_BOM))
    if match:
        encoding = match[1].decode("ascii").lower()
        if encoding not in _ASCII_COMPATIBLE:
            raise PacketRefused(
                Refusal.ENCODING, f"Gói tin phải mã hóa UTF-8, không nhận bảng mã {encoding}"
            )
        if encoding not in ("utf-8", "utf8"):
            warnings.append(
                PacketWarning(
                    Warn.ENCODING, f"Gói tin khai báo bảng mã {encoding}, không phải UTF-8"
                )
            )
    # A DOCTYPE can only sit in the prolog, and base64 or escaped text never contains
    # "<!": a plain search over the bytes is enough (UTF-16/32 were refused above).
    external = _EXTERNAL_ENTITY.search(data)
    if external:
        target = external[2].decode("utf-8", "replace")
        raise PacketRefused(
            Refusal.ENTITY,
            f"Gói tin khai báo thực thể ngoài trỏ tới {target!r} (tấn công XXE); "
            "không nạp DTD, thực thể hay tài nguyên mạng",
        )
    if b"<!ENTITY" in data:
        raise PacketRefused(
            Refusal.ENTITY,
            "Gói tin khai báo thực thể XML (nguy cơ bùng nổ mở rộng kiểu 'billion laughs'); "
            "không chấp nhận DTD và thực thể",
        )
    if b"<!DOCTYPE" in data:
        raise PacketRefused(Refusal.DTD, "Gói tin có khai báo DOCTYPE/DTD; edXML không dùng DTD")
    body = data.removeprefix(_UTF8_BOM).lstrip()
    if not body.startswith(b"<"):
        where = body.find(b"<")
        if where < 0:
            raise PacketRefused(Refusal.NOT_XML, "Tệp không phải XML: không có thẻ nào")
        raise PacketRefused(
            Refusal.NOT_XML,
            f"Tệp không phải XML hợp lệ: có {where} byte lạ {body[:where][:20]!r} "
            "trước khai báo <?xml / phần tử gốc",
        )
    return warnings


def load_xml(data: bytes, limits: Limits) -> tuple[etree._Element, list[PacketWarning]]:
    """Parse ``data`` safely or raise :class:`PacketRefused` with the reason."""
    warnings = _prescan(data, limits)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise PacketRefused(Refusal.NOT_XML, f"Tệp không phải XML hợp lệ: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise PacketRefused(Refusal.DTD, "Gói tin có khai báo DOCTYPE/DTD; edXML không dùng DTD")
    return root, warnings
