"""The tolerant reader: real-world edXML in, a frozen :class:`Packet` with warnings out.

Whatever a sender does differently from what we write (element order, the
``Business`` spelling, other date formats, unknown codes, a UUID DocumentId, the
legacy namespace …) is accepted and reported as a :class:`PacketWarning`. Input
that cannot be trusted or understood is refused with :class:`PacketRefused`.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from lxml import etree

from shared.edxml import attachments as att
from shared.edxml import codes
from shared.edxml.errors import PacketRefused, PacketWarning, Refusal, Warn
from shared.edxml.formats import Parsed, parse_date, parse_timestamp
from shared.edxml.layout import ACCEPTED_ORDERS, in_order
from shared.edxml.model import (
    Attachment,
    Business,
    BusinessDocumentInfo,
    Code,
    DocumentId,
    DocumentType,
    Limits,
    Organization,
    OtherInfo,
    Packet,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    TraceHeader,
    TraceHeaderList,
)
from shared.edxml.safexml import load_xml
from shared.organ import is_organ_id

__all__ = ["parse_file", "parse_packet"]

_PLACEHOLDER_DIGEST = "FwgIqsSYJshUS2+wlOM61L+q7Aw="
_PLACEHOLDER_SUBJECT = "CN=user05"
_ACCEPTED_NAMESPACES = (codes.NAMESPACE, codes.LEGACY_NAMESPACE)


def parse_packet(data: bytes, limits: Limits | None = None) -> Packet:
    """Parse one packet; raise :class:`PacketRefused` if it must not be accepted."""
    limits = limits or Limits()
    root, warnings = load_xml(data, limits)
    return _Reader(limits, warnings).packet(root)


def parse_file(path: str | os.PathLike[str], limits: Limits | None = None) -> Packet:
    """Parse a packet file, checking its size before reading it."""
    limits = limits or Limits()
    size = Path(path).stat().st_size
    if size > limits.max_packet_bytes:
        raise PacketRefused(
            Refusal.TOO_LARGE, f"Gói tin {size} byte, vượt giới hạn {limits.max_packet_bytes} byte"
        )
    return parse_packet(Path(path).read_bytes(), limits)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _namespace(el: etree._Element) -> str | None:
    return etree.QName(el).namespace


class _Reader:
    """One parse: collects warnings while walking the tree."""

    def __init__(self, limits: Limits, warnings: list[PacketWarning]) -> None:
        self.limits = limits
        self.warnings = warnings
        self.ns: str = codes.NAMESPACE
        self.kind = "document"

    # ------------------------------------------------------------ helpers

    def warn(self, code: str, message: str, path: str = "") -> None:
        item = PacketWarning(code, message, path)
        if item not in self.warnings:
            self.warnings.append(item)

    def group(
        self,
        el: etree._Element,
        context: str,
        path: str,
        extra: Iterable[str] = (),
    ) -> dict[str, list[etree._Element]]:
        """Children of ``el`` by local name; warn about unknown ones and the order."""
        orders = ACCEPTED_ORDERS[context]
        known = set(extra).union(*orders)
        result: dict[str, list[etree._Element]] = {}
        names: list[str] = []
        for child in el:
            if not isinstance(child.tag, str):
                continue  # comments
            name = _local(child)
            if _namespace(child) != self.ns and name != "Signature":
                self.warn(
                    Warn.ELEMENT_IGNORED,
                    f"Bỏ qua phần tử {name} thuộc không gian tên lạ {_namespace(child)!r}",
                    f"{path}/{name}",
                )
                continue
            if name not in known:
                self.warn(
                    Warn.ELEMENT_IGNORED,
                    f"Bỏ qua phần tử không thuộc định dạng đã biết: {name}",
                    f"{path}/{name}",
                )
                continue
            result.setdefault(name, []).append(child)
            names.append(name)
        if not any(in_order(names, order) for order in orders):
            self.warn(
                Warn.ELEMENT_ORDER,
                f"Thứ tự các phần tử con của {path.rsplit('/', 1)[-1]} khác thứ tự chuẩn: "
                + ", ".join(dict.fromkeys(names)),
                path,
            )
        return result

    def one(
        self, groups: dict[str, list[etree._Element]], name: str, path: str
    ) -> etree._Element | None:
        found = groups.get(name, [])
        if len(found) > 1:
            self.warn(
                Warn.ELEMENT_IGNORED,
                f"Phần tử {name} xuất hiện {len(found)} lần; chỉ lấy lần đầu",
                f"{path}/{name}",
            )
        return found[0] if found else None

    def text(self, el: etree._Element | None, path: str) -> str | None:
        if el is None:
            return None
        raw = "".join(el.itertext())
        value = raw.strip()
        if value and (raw[0].isspace() or raw[-1].isspace()) and "\n" not in raw:
            self.warn(Warn.WHITESPACE, f"Đã bỏ khoảng trắng thừa ở đầu/cuối giá trị {raw!r}", path)
        if not unicodedata.is_normalized("NFC", value):
            self.warn(Warn.NOT_NFC, "Văn bản không ở dạng Unicode NFC; đã chuẩn hóa", path)
            value = unicodedata.normalize("NFC", value)
        return value or None

    def field(self, groups: dict[str, list[etree._Element]], name: str, path: str) -> str | None:
        return self.text(self.one(groups, name, path), f"{path}/{name}")

    def integer(self, groups: dict[str, list[etree._Element]], name: str, path: str) -> int | None:
        value = self.field(groups, name, path)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            self.warn(Warn.INTEGER_INVALID, f"{name} phải là số nguyên, nhận {value!r}", path)
            return None

    def date(self, groups: dict[str, list[etree._Element]], name: str, path: str) -> str | None:
        value = self.field(groups, name, path)
        if value is None:
            return None
        iso, how = parse_date(value)
        if how is Parsed.TOLERATED:
            self.warn(
                Warn.DATE_FORMAT,
                f"Ngày {name} {value!r} không theo định dạng yyyy/MM/dd; đã đọc là {iso}",
                f"{path}/{name}",
            )
        elif iso is None:
            self.warn(Warn.DATE_INVALID, f"Ngày {name} {value!r} không hợp lệ", f"{path}/{name}")
        return iso

    def timestamp(
        self, groups: dict[str, list[etree._Element]], name: str, path: str
    ) -> str | None:
        value = self.field(groups, name, path)
        if value is None:
            return None
        iso, how = parse_timestamp(value)
        if how is Parsed.TOLERATED:
            self.warn(
                Warn.TIMESTAMP_FORMAT,
                f"Thời điểm {value!r} không theo định dạng yyyy/MM/dd HH:mm:ss; đã đọc là {iso}",
                f"{path}/{name}",
            )
        elif iso is None:
            self.warn(Warn.TIMESTAMP_INVALID, f"Thời điểm {value!r} không hợp lệ", f"{path}/{name}")
        return iso

    def code_value(self, value: int | str | None, table: dict, name: str, path: str) -> None:
        if value is not None and value not in table:
            self.warn(
                Warn.CODE_UNKNOWN,
                f"Giá trị {name} = {value} không có trong bảng mã đã biết "
                f"({', '.join(str(k) for k in table)})",
                path,
            )

    def missing(self, name: str, path: str) -> None:
        self.warn(Warn.MISSING_ELEMENT, f"Thiếu phần tử bắt buộc {name}", f"{path}/{name}")

    # ------------------------------------------------------------ structure

    def packet(self, root: etree._Element) -> Packet:
        ns = _namespace(root)
        if ns not in _ACCEPTED_NAMESPACES:
            raise PacketRefused(
                Refusal.NAMESPACE,
                f"Không gian tên {ns!r} không phải của edXML (cần {codes.NAMESPACE})",
            )
        self.ns = ns
        if ns == codes.LEGACY_NAMESPACE:
            self.warn(
                Warn.LEGACY_NAMESPACE,
                f"Gói tin dùng không gian tên cũ {ns}, trước QCVN 102:2016",
                "/edXML",
            )
        if _local(root) != "edXML":
            raise PacketRefused(
                Refusal.NOT_EDXML, f"Phần tử gốc là {_local(root)}, không phải edXML"
            )
        envelope = self._child(root, "edXMLEnvelope")
        header = None if envelope is None else self._child(envelope, "edXMLHeader")
        if header is None:
            raise PacketRefused(Refusal.NO_HEADER, "Gói tin thiếu edXMLEnvelope/edXMLHeader")
        message = self._child(header, "MessageHeader")
        if message is None:
            message = self._child(header, "Status")
            if message is not None:
                self.warn(
                    Warn.STATUS_ELEMENT,
                    "Gói tin trạng thái dùng phần tử Status thay cho MessageHeader",
                    "/edXML/edXMLEnvelope/edXMLHeader/Status",
                )
        if message is None:
            raise PacketRefused(Refusal.NO_HEADER, "Gói tin thiếu MessageHeader")
        self.kind = "status" if self._child(message, "StatusCode") is not None else "document"
        path = "/edXML/edXMLEnvelope/edXMLHeader"
        self.group(header, "edXMLHeader", path)
        if self.kind == "status":
            packet = self._status(message, f"{path}/MessageHeader")
        else:
            packet = self._document(root, envelope, header, message, path)
        return replace(packet, warnings=tuple(self.warnings))

    def _child(self, el: etree._Element, name: str) -> etree._Element | None:
        for child in el:
            if (
                isinstance(child.tag, str)
                and _local(child) == name
                and _namespace(child) == self.ns
            ):
                return child
        return None

    def _organization(self, el: etree._Element, path: str) -> Organization:
        g = self.group(el, f"Organization/{self.kind}", path)
        organ_id = self.field(g, "OrganId", path)
        if organ_id is None:
            self.missing("OrganId", path)
        organization = Organization(
            organ_id=organ_id or "",
            organ_name=self.field(g, "OrganName", path),
            organization_in_charge=self.field(g, "OrganizationInCharge", path),
            organ_add=self.field(g, "OrganAdd", path),
            email=self.field(g, "Email", path),
            telephone=self.field(g, "Telephone", path),
            fax=self.field(g, "Fax", path),
            website=self.field(g, "Website", path),
        )
        if organization.organ_name is None:
            self.missing("OrganName", path)
        self._organ_id(organization.organ_id, f"{path}/OrganId")
        known = codes.KNOWN_ORGANS.get(organization.organ_id)
        name = organization.organ_name
        if known and name and known.casefold() not in name.casefold():
            self.warn(
                Warn.ORGAN_NAME,
                f"Mã {organization.organ_id} là của {known}, nhưng gói tin ghi tên {name!r}",
                path,
            )
        return organization

    def _organ_id(self, organ_id: str | None, path: str) -> None:
        if organ_id and not is_organ_id(organ_id):
            self.warn(
                Warn.ORGAN_ID_FORMAT,
                f"Mã định danh {organ_id!r} không theo cấu trúc LLL.KK.JJ.Xnn",
                path,
            )

    def _document_id(self, raw: str | None, path: str) -> DocumentId | None:
        if raw is None:
            return None
        value = DocumentId.parse(raw)
        if value.organ_id is None:
            self.warn(
                Warn.DOCUMENT_ID_FORMAT,
                f"DocumentId {raw!r} không theo dạng <mã cơ quan>,<yyyy/MM/dd>,<số>/<ký hiệu>",
                path,
            )
            return value
        if value.date is None:
            self.warn(
                Warn.DOCUMENT_ID_DATE,
                f"Ngày {value.date_text} trong DocumentId {raw!r} không tồn tại",
                path,
            )
        elif not value.is_standard:
            self.warn(
                Warn.DOCUMENT_ID_FORMAT,
                f"Ngày trong DocumentId {raw!r} không theo định dạng yyyy/MM/dd",
                path,
            )
        self._organ_id(value.organ_id, path)
        return value

    def _staff(self, el: etree._Element | None, path: str) -> StaffInfo | None:
        if el is None:
            return None
        g = self.group(el, f"StaffInfo/{self.kind}", path)
        return StaffInfo(
            department=self.field(g, "Department", path),
            staff=self.field(g, "Staff", path),
            email=self.field(g, "Email", path),
            mobile=self.field(g, "Mobile", path),
        )

    def _response_for(self, el: etree._Element, path: str) -> ResponseFor:
        g = self.group(el, "ResponseFor", path)
        organ_id = self.field(g, "OrganId", path)
        self._organ_id(organ_id, f"{path}/OrganId")
        document_id = self._document_id(self.field(g, "DocumentId", path), f"{path}/DocumentId")
        if document_id is None:
            self.missing("DocumentId", path)
        return ResponseFor(
            organ_id=organ_id,
            document_id=document_id,
            code=self.field(g, "Code", path),
            promulgation_date=self.date(g, "PromulgationDate", path),
        )

    # ------------------------------------------------------------ status packets

    def _status(self, message: etree._Element, path: str) -> Packet:
        g = self.group(message, "MessageHeader/status", path)
        sender_el = self.one(g, "From", path)
        sender = None if sender_el is None else self._organization(sender_el, f"{path}/From")
        if sender is None:
            self.missing("From", path)
        response_for = tuple(
            self._response_for(el, f"{path}/ResponseFor") for el in g.get("ResponseFor", [])
        )
        if not response_for:
            self.missing("ResponseFor", path)
        status_code = self.field(g, "StatusCode", path)
        packet = Packet(
            kind="status",
            sender=sender,
            response_for=response_for,
            staff_info=self._staff(self.one(g, "StaffInfo", path), f"{path}/StaffInfo"),
            status_code=status_code,
            status_description=self.field(g, "Description", path),
            timestamp=self.timestamp(g, "Timestamp", path),
        )
        self._check_status(packet, path)
        return packet

    def _check_status(self, packet: Packet, path: str) -> None:
        code = packet.status_code
        self.code_value(code, codes.STATUS_CODES, "StatusCode", f"{path}/StatusCode")
        known = codes.STATUS_CODES.get(code or "")
        description = packet.status_description
        if known and description and description != known.description:
            ratio = difflib.SequenceMatcher(None, description, known.description).ratio()
            if ratio >= 0.85:
                self.warn(
                    Warn.STATUS_DESCRIPTION,
                    f"Mô tả {description!r} gần giống mô tả chuẩn của mã {code} "
                    f"({known.description!r}) — có thể gõ sai",
                    f"{path}/Description",
                )
        for target in packet.response_for[:1]:
            doc = target.document_id
            issuer = doc.organ_id if doc else None
            self._check_response_for(target, f"{path}/ResponseFor", sender_request=code == "13")
            sender_id = packet.sender.organ_id if packet.sender else None
            if code in codes.SENDER_STATUS_CODES and issuer and sender_id != issuer:
                self.warn(
                    Warn.STATUS_SENDER,
                    f"Mã {code} do cơ quan ban hành gửi, nhưng From là {sender_id} "
                    f"còn văn bản của {issuer}",
                    f"{path}/From",
                )
            if code not in codes.SENDER_STATUS_CODES and issuer and sender_id == issuer:
                self.warn(
                    Warn.STATUS_SENDER,
                    f"Trạng thái {code} do nơi nhận gửi, nhưng From chính là cơ quan ban hành",
                    f"{path}/From",
                )
            reference = target.promulgation_date or (doc.date if doc else None)
            if packet.timestamp and reference and packet.timestamp[:10] < reference:
                self.warn(
                    Warn.STATUS_TIMESTAMP,
                    f"Thời điểm trạng thái {packet.timestamp} trước ngày ban hành {reference}",
                    f"{path}/Timestamp",
                )
        self._check_staff(packet.staff_info, packet.sender, f"{path}/StaffInfo")

    def _check_response_for(self, target: ResponseFor, path: str, sender_request: bool) -> None:
        doc = target.document_id
        if doc is None or doc.organ_id is None:
            return
        if not sender_request and target.organ_id and target.organ_id != doc.organ_id:
            self.warn(
                Warn.RESPONSE_FOR_ORGAN,
                f"ResponseFor/OrganId {target.organ_id} khác cơ quan trong DocumentId "
                f"({doc.organ_id})",
                f"{path}/OrganId",
            )
        if target.promulgation_date and doc.date and target.promulgation_date != doc.date:
            self.warn(
                Warn.RESPONSE_FOR_DATE,
                f"ResponseFor/PromulgationDate {target.promulgation_date} khác ngày trong "
                f"DocumentId ({doc.date})",
                f"{path}/PromulgationDate",
            )
        if target.code and doc.code and target.code != doc.code:
            self.warn(
                Warn.RESPONSE_FOR_CODE,
                f"ResponseFor/Code {target.code} khác số/ký hiệu trong DocumentId ({doc.code})",
                f"{path}/Code",
            )

    def _check_staff(self, staff: StaffInfo | None, sender: Organization | None, path: str) -> None:
        if staff is None or sender is None or not staff.email or "@" not in staff.email:
            return
        domains = set()
        if sender.email and "@" in sender.email:
            domains.add(sender.email.rsplit("@", 1)[1].lower())
        if sender.website:
            host = sender.website.lower().split("://")[-1].split("/")[0]
            domains.add(host.removeprefix("www."))
        staff_domain = staff.email.rsplit("@", 1)[1].lower()
        if domains and not any(
            staff_domain == d or staff_domain.endswith("." + d) for d in domains
        ):
            self.warn(
                Warn.STAFF_ORGAN,
                f"Người xử lý ({staff.email}) không thuộc tên miền của cơ quan gửi "
                f"{sender.organ_id} ({', '.join(sorted(domains))})",
                path,
            )

    # ------------------------------------------------------------ document packets

    def _document(
        self,
        root: etree._Element,
        envelope: etree._Element,
        header: etree._Element,
        message: etree._Element,
        base: str,
    ) -> Packet:
        path = f"{base}/MessageHeader"
        g = self.group(message, "MessageHeader/document", path)
        raw_id = self.field(g, "DocumentId", path)
        if raw_id is None:
            raise PacketRefused(
                Refusal.NO_DOCUMENT_ID, "Gói tin văn bản thiếu DocumentId (mã định danh văn bản)"
            )
        sender_el = self.one(g, "From", path)
        if sender_el is None:
            self.missing("From", path)
        recipients = tuple(self._organization(el, f"{path}/To") for el in g.get("To", []))
        if not recipients:
            self.missing("To", path)
        packet = Packet(
            kind="document",
            sender=None if sender_el is None else self._organization(sender_el, f"{path}/From"),
            recipients=recipients,
            document_id=self._document_id(raw_id, f"{path}/DocumentId"),
            code=self._code(self.one(g, "Code", path), f"{path}/Code"),
            promulgation=self._promulgation(
                self.one(g, "PromulgationInfo", path), f"{path}/PromulgationInfo"
            ),
            document_type=self._document_type(
                self.one(g, "DocumentType", path), f"{path}/DocumentType"
            ),
            subject=self.field(g, "Subject", path),
            content=self.field(g, "Content", path),
            signer=self._signer(self.one(g, "SignerInfo", path), f"{path}/SignerInfo"),
            due_date=self.date(g, "DueDate", path),
            other_info=self._other_info(self.one(g, "OtherInfo", path), f"{path}/OtherInfo"),
            response_for=tuple(
                self._response_for(el, f"{path}/ResponseFor") for el in g.get("ResponseFor", [])
            ),
            steering_type=self.integer(g, "SteeringType", path),
            to_places=self._places(self.one(g, "ToPlaces", path), f"{path}/ToPlaces"),
            trace=self._trace(self._child(header, "TraceHeaderList"), f"{base}/TraceHeaderList"),
            attachments=self._attachments(root, envelope),
        )
        if packet.subject is None:
            self.missing("Subject", path)
        self._signature(header, base)
        self._check_document(packet, path)
        return packet

    def _code(self, el: etree._Element | None, path: str) -> Code | None:
        if el is None:
            self.missing("Code", path.rsplit("/", 1)[0])
            return None
        g = self.group(el, "Code", path)
        number = self.field(g, "CodeNumber", path) or ""
        if number and not number.isdigit():
            self.warn(Warn.CODE_NUMBER, f"Số văn bản {number!r} không phải là số", path)
        return Code(number=number, notation=self.field(g, "CodeNotation", path) or "")

    def _promulgation(self, el: etree._Element | None, path: str) -> PromulgationInfo | None:
        if el is None:
            self.missing("PromulgationInfo", path.rsplit("/", 1)[0])
            return None
        g = self.group(el, "PromulgationInfo", path)
        return PromulgationInfo(
            date=self.date(g, "PromulgationDate", path), place=self.field(g, "Place", path)
        )

    def _document_type(self, el: etree._Element | None, path: str) -> DocumentType | None:
        if el is None:
            return None
        g = self.group(el, "DocumentType", path)
        value = DocumentType(
            type=self.integer(g, "Type", path),
            type_name=self.field(g, "TypeName", path),
            type_detail=self.integer(g, "TypeDetail", path),
        )
        self.code_value(value.type, codes.DOCUMENT_TYPES, "DocumentType/Type", f"{path}/Type")
        return value

    def _signer(self, el: etree._Element | None, path: str) -> SignerInfo | None:
        if el is None:
            return None
        g = self.group(el, "SignerInfo", path)
        return SignerInfo(
            competence=self.field(g, "Competence", path),
            position=self.field(g, "Position", path),
            full_name=self.field(g, "FullName", path),
        )

    def _other_info(self, el: etree._Element | None, path: str) -> OtherInfo | None:
        if el is None:
            return None
        g = self.group(el, "OtherInfo", path)
        direction_text = self.field(g, "Direction", path)
        direction = None
        if direction_text is not None:
            if direction_text.lower() in ("true", "1", "false", "0"):
                direction = direction_text.lower() in ("true", "1")
            else:
                self.warn(
                    Warn.BOOLEAN_INVALID,
                    f"Direction {direction_text!r} không phải true/false",
                    path,
                )
        appendixes_el = self.one(g, "Appendixes", path)
        appendixes: tuple[str, ...] = ()
        if appendixes_el is not None:
            items = [
                self.text(child, f"{path}/Appendixes/Appendix")
                for child in appendixes_el
                if isinstance(child.tag, str) and _local(child) == "Appendix"
            ]
            appendixes = tuple(item for item in items if item)
        value = OtherInfo(
            priority=self.integer(g, "Priority", path),
            sphere_of_promulgation=self.field(g, "SphereOfPromulgation", path),
            typer_notation=self.field(g, "TyperNotation", path),
            promulgation_amount=self.integer(g, "PromulgationAmount", path),
            page_amount=self.integer(g, "PageAmount", path),
            reply_fors=self.field(g, "ReplyFors", path),
            direction=direction,
            reference_codes=self.field(g, "ReferenceCodes", path),
            appendixes=appendixes,
        )
        self.code_value(value.priority, codes.PRIORITIES, "Priority", f"{path}/Priority")
        return value

    def _places(self, el: etree._Element | None, path: str) -> tuple[str, ...]:
        if el is None:
            return ()
        items = [
            self.text(child, f"{path}/Place")
            for child in el
            if isinstance(child.tag, str) and _local(child) == "Place"
        ]
        return tuple(item for item in items if item)

    def _trace(self, el: etree._Element | None, path: str) -> TraceHeaderList | None:
        if el is None:
            return None
        g = self.group(el, "TraceHeaderList", path, extra=("Business",))
        headers = []
        for item in g.get("TraceHeader", []):
            hg = self.group(item, "TraceHeader", f"{path}/TraceHeader")
            organ_id = self.field(hg, "OrganId", f"{path}/TraceHeader") or ""
            self._organ_id(organ_id, f"{path}/TraceHeader/OrganId")
            headers.append(
                TraceHeader(organ_id, self.timestamp(hg, "Timestamp", f"{path}/TraceHeader"))
            )
        if len(headers) > 1:
            self.warn(
                Warn.TRACE_HEADERS,
                f"Có {len(headers)} TraceHeader (nền tảng trung gian ghi thêm mỗi chặng)",
                path,
            )
        business_el = self.one(g, "Bussiness", path)
        if business_el is None and g.get("Business"):
            business_el = g["Business"][0]
            self.warn(
                Warn.BUSINESS_SPELLING,
                "Dùng tên phần tử Business thay cho Bussiness (cách viết của QCVN)",
                f"{path}/Business",
            )
        business = None if business_el is None else self._business(business_el, f"{path}/Bussiness")
        return TraceHeaderList(trace_headers=tuple(headers), business=business)

    def _business(self, el: etree._Element, path: str) -> Business:
        spelled = {
            "BusinessDocType": "BussinessDocType",
            "BusinessDocReason": "BussinessDocReason",
            "BusinessDocumentInfo": "BussinessDocumentInfo",
        }
        g = self.group(el, "Bussiness", path, extra=spelled)
        for variant, standard in spelled.items():
            if variant in g:
                g.setdefault(standard, []).extend(g.pop(variant))
                self.warn(
                    Warn.BUSINESS_SPELLING,
                    f"Dùng tên phần tử {variant} thay cho {standard}",
                    f"{path}/{variant}",
                )
        doc_type = self.integer(g, "BussinessDocType", path)
        if doc_type is None:
            self.missing("BussinessDocType", path)
        self.code_value(
            doc_type, codes.BUSINESS_DOC_TYPES, "BussinessDocType", f"{path}/BussinessDocType"
        )
        paper = self.integer(g, "Paper", path)
        self.code_value(paper, codes.PAPER, "Paper", f"{path}/Paper")
        info_el = self.one(g, "BussinessDocumentInfo", path)
        info = None
        if info_el is not None:
            info = self._business_info(info_el, f"{path}/BussinessDocumentInfo")
        replacements: list[ReplacementInfo] = []
        replacement_list = self.one(g, "ReplacementInfoList", path)
        for item in () if replacement_list is None else replacement_list:
            if isinstance(item.tag, str) and _local(item) == "ReplacementInfo":
                replacements.append(
                    self._replacement(item, f"{path}/ReplacementInfoList/ReplacementInfo")
                )
        return Business(
            business_doc_type=0 if doc_type is None else doc_type,
            business_doc_reason=self.field(g, "BussinessDocReason", path),
            document_id=self._document_id(self.field(g, "DocumentId", path), f"{path}/DocumentId"),
            paper=paper,
            document_info=info,
            replacements=tuple(replacements),
            staff_info=self._staff(self.one(g, "StaffInfo", path), f"{path}/StaffInfo"),
        )

    def _business_info(self, el: etree._Element, path: str) -> BusinessDocumentInfo:
        g = self.group(el, "BussinessDocumentInfo", path)
        receivers = []
        receiver_list = self.one(g, "ReceiverList", path)
        for item in () if receiver_list is None else receiver_list:
            if isinstance(item.tag, str) and _local(item) == "Receiver":
                rpath = f"{path}/ReceiverList/Receiver"
                rg = self.group(item, "Receiver", rpath)
                organ_id = self.field(rg, "OrganId", rpath) or ""
                self._organ_id(organ_id, f"{rpath}/OrganId")
                receiver_type = self.integer(rg, "ReceiverType", rpath)
                self.code_value(
                    receiver_type, codes.RECEIVER_TYPES, "ReceiverType", f"{rpath}/ReceiverType"
                )
                receivers.append(Receiver(organ_id, receiver_type))
        return BusinessDocumentInfo(
            document_info=self.integer(g, "DocumentInfo", path),
            document_receiver=self.integer(g, "DocumentReceiver", path),
            receivers=tuple(receivers),
        )

    def _replacement(self, el: etree._Element, path: str) -> ReplacementInfo:
        g = self.group(el, "ReplacementInfo", path)
        document_id = self._document_id(self.field(g, "DocumentId", path), f"{path}/DocumentId")
        if document_id is None:
            self.missing("DocumentId", path)
        organ_ids: list[str] = []
        organ_list = self.one(g, "OrganIdList", path)
        for item in () if organ_list is None else organ_list:
            if isinstance(item.tag, str) and _local(item) == "OrganId":
                value = self.text(item, f"{path}/OrganIdList/OrganId")
                if value:
                    self._organ_id(value, f"{path}/OrganIdList/OrganId")
                    organ_ids.append(value)
        return ReplacementInfo(document_id or DocumentId(raw=""), tuple(organ_ids))

    def _signature(self, header: etree._Element, path: str) -> None:
        for child in header:
            if not isinstance(child.tag, str):
                continue
            name = _local(child)
            if name == "DigitalSignature" or (name == "Signature" and len(child) == 0):
                self.warn(
                    Warn.SIGNATURE_PLACEHOLDER,
                    "Chữ ký của gói tin để trống; chữ ký số cần kiểm tra trên tệp đính kèm",
                    f"{path}/{name}",
                )
            elif name == "Signature":
                if _namespace(child) != codes.XMLDSIG_NAMESPACE:
                    self.warn(
                        Warn.SIGNATURE_NAMESPACE,
                        f"Phần tử Signature nằm trong không gian tên {_namespace(child)!r}, "
                        "không phải XML-DSig",
                        f"{path}/Signature",
                    )
                texts = {
                    _local(e): (e.text or "").strip()
                    for e in child.iter()
                    if isinstance(e.tag, str)
                }
                certificate = texts.get("X509Certificate", "")
                if (
                    texts.get("DigestValue") == _PLACEHOLDER_DIGEST
                    or texts.get("X509SubjectName") == _PLACEHOLDER_SUBJECT
                    or len(certificate) < 200
                ):
                    self.warn(
                        Warn.SIGNATURE_PLACEHOLDER,
                        "Chữ ký XML của gói tin là khối mẫu cố định (CN=user05, chứng thư bị cắt), "
                        "không kiểm tra được; chữ ký số cần kiểm tra trên tệp đính kèm",
                        f"{path}/Signature",
                    )

    def _check_document(self, packet: Packet, path: str) -> None:
        doc = packet.document_id
        sender = packet.sender
        promulgated = packet.promulgation.date if packet.promulgation else None
        if doc is not None and doc.organ_id is not None:
            if sender and sender.organ_id and doc.organ_id != sender.organ_id:
                self.warn(
                    Warn.DOCUMENT_ID_ORGAN,
                    f"DocumentId ghi cơ quan {doc.organ_id}, khác cơ quan gửi {sender.organ_id}",
                    f"{path}/DocumentId",
                )
            if packet.code and doc.code and doc.code != str(packet.code):
                self.warn(
                    Warn.DOCUMENT_ID_CODE,
                    f"DocumentId ghi số/ký hiệu {doc.code}, khác Code {packet.code}",
                    f"{path}/DocumentId",
                )
            if doc.date and promulgated and doc.date != promulgated:
                self.warn(
                    Warn.DOCUMENT_ID_PROMULGATION,
                    f"Ngày trong DocumentId ({doc.date}) khác ngày ban hành ({promulgated})",
                    f"{path}/DocumentId",
                )
        if packet.due_date and promulgated and packet.due_date < promulgated:
            self.warn(
                Warn.DUE_DATE,
                f"Hạn xử lý {packet.due_date} trước ngày ban hành {promulgated}",
                f"{path}/DueDate",
            )
        self.code_value(
            packet.steering_type, codes.STEERING_TYPES, "SteeringType", f"{path}/SteeringType"
        )
        for target in packet.response_for:
            self._check_response_for(target, f"{path}/ResponseFor", sender_request=False)
        if packet.business is not None:
            self._check_business(packet, packet.business, path)

    def _check_business(self, packet: Packet, business: Business, path: str) -> None:
        doc = packet.document_id
        bpath = path.rsplit("/", 1)[0] + "/TraceHeaderList/Bussiness"
        kind = business.business_doc_type
        aimed = business.document_id
        if kind == codes.BusinessDocType.NEW and aimed is not None:
            self.warn(
                Warn.BUSINESS_TARGET_UNEXPECTED,
                f"Văn bản mới nhưng Bussiness/DocumentId lại trỏ tới {aimed.raw}",
                f"{bpath}/DocumentId",
            )
        if kind == codes.BusinessDocType.REVOKE and not packet.response_for:
            self.warn(
                Warn.BUSINESS_TARGET,
                "Thu hồi văn bản nhưng thiếu ResponseFor (văn bản bị thu hồi)",
                bpath,
            )
        if kind == codes.BusinessDocType.UPDATE:
            if aimed is None:
                self.warn(
                    Warn.BUSINESS_TARGET,
                    "Cập nhật văn bản nhưng thiếu Bussiness/DocumentId (văn bản được cập nhật)",
                    bpath,
                )
            elif doc is not None and aimed.raw != doc.raw:
                self.warn(
                    Warn.BUSINESS_TARGET_DIFFERS,
                    f"Văn bản được cập nhật ({aimed.raw}) khác DocumentId của gói tin ({doc.raw})",
                    f"{bpath}/DocumentId",
                )
        if kind == codes.BusinessDocType.REPLACE and not business.replacements:
            self.warn(
                Warn.BUSINESS_TARGET,
                "Văn bản thay thế nhưng thiếu ReplacementInfoList (văn bản bị thay thế)",
                bpath,
            )
        seen: set[ReplacementInfo] = set()
        for item in business.replacements:
            if item in seen:
                self.warn(
                    Warn.REPLACEMENT_DUPLICATE,
                    f"ReplacementInfo cho {item.document_id.raw} bị lặp lại y hệt",
                    f"{bpath}/ReplacementInfoList",
                )
            seen.add(item)
        self._check_staff(business.staff_info, packet.sender, f"{bpath}/StaffInfo")

    # ------------------------------------------------------------ attachments

    def _attachments(
        self, root: etree._Element, envelope: etree._Element
    ) -> tuple[Attachment, ...]:
        references: dict[str, dict[str, str | None]] = {}
        body = self._child(envelope, "edXMLBody")
        manifest = None if body is None else self._child(body, "edXMLManifest")
        rpath = "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference"
        for ref in () if manifest is None else manifest:
            if isinstance(ref.tag, str) and _local(ref) == "Reference":
                g = self.group(ref, "Reference", rpath)
                content_id = _bare_cid(self.field(g, "ContentId", rpath) or "")
                references[content_id] = {
                    "name": self.field(g, "AttachmentName", rpath),
                    "content_type": self.field(g, "ContentType", rpath),
                    "description": self.field(g, "Description", rpath),
                }
        encoded = self._child(root, "AttachmentEncoded")
        items = (
            []
            if encoded is None
            else [el for el in encoded if isinstance(el.tag, str) and _local(el) == "Attachment"]
        )
        if len(items) > self.limits.max_attachments:
            raise PacketRefused(
                Refusal.TOO_MANY_ATTACHMENTS,
                f"Gói tin có {len(items)} tệp đính kèm, "
                f"vượt giới hạn {self.limits.max_attachments}",
            )
        apath = "/edXML/AttachmentEncoded/Attachment"
        result: list[Attachment] = []
        seen: set[str] = set()
        for index, item in enumerate(items, 1):
            g = self.group(item, "Attachment", apath, extra=("Format", "FieldName", "MimeType"))
            content_id = _bare_cid(self.field(g, "ContentId", apath) or "")
            if content_id in seen:
                self.warn(Warn.ATTACHMENT_DUPLICATE_ID, f"ContentId {content_id} bị lặp", apath)
            seen.add(content_id)
            reference = references.get(content_id)
            if reference is None:
                self.warn(
                    Warn.ATTACHMENT_UNREFERENCED,
                    f"Tệp đính kèm {content_id!r} không có Reference trong edXMLManifest",
                    apath,
                )
                reference = {}
            name = self.field(g, "AttachmentName", apath) or reference.get("name")
            content_type = self.field(g, "ContentType", apath) or reference.get("content_type")
            description = self.field(g, "Description", apath) or reference.get("description")
            encoded_el = self.one(g, "ContentTransferEncoded", apath)
            label = repr(name or content_id or f"#{index}")
            if encoded_el is None:
                self.missing("ContentTransferEncoded", apath)
                continue
            data = att.decode_base64(encoded_el.text or "", self.limits, label)
            if not name:
                self.missing("AttachmentName", apath)
                name = content_id or f"attachment-{index}"
            if not content_type:
                self.missing("ContentType", apath)
                content_type = att.guess_content_type(name, data)
            self._check_content(data, content_type, name, label, apath)
            result.append(Attachment(content_id, name, content_type, data, description))
        for content_id in references:
            if content_id not in seen:
                self.warn(
                    Warn.REFERENCE_WITHOUT_ATTACHMENT,
                    f"edXMLManifest nhắc tới tệp {content_id!r} nhưng không có tệp đính kèm",
                    rpath,
                )
        return tuple(result)

    def _check_content(
        self, data: bytes, content_type: str, name: str, label: str, path: str
    ) -> None:
        actual = att.check_declared_type(data, content_type, name)
        if actual is not None:
            self.warn(
                Warn.ATTACHMENT_TYPE,
                f"Tệp đính kèm {label} khai báo {content_type} nhưng nội dung là tệp "
                f"{actual.upper()}",
                path,
            )
        if att.sniff(data) != "zip":
            return
        members = att.inspect_zip(data, self.limits, label)
        promised = att.extension_kind(name)
        if len(members) == 1 and promised not in (None, "zip"):
            inner = att.sniff(members[0].head)
            if inner != promised:
                self.warn(
                    Warn.ATTACHMENT_TYPE,
                    f"Tệp nén {label} chứa {members[0].name!r} "
                    f"({(inner or 'không rõ kiểu').upper()}), không phải tệp "
                    f"{promised.upper()} như tên tệp",
                    path,
                )


def _bare_cid(value: str) -> str:
    """``cid:209`` and ``209`` are the same content id."""
    return value[4:] if value.lower().startswith("cid:") else value
