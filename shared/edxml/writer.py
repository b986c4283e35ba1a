"""The strict writer: a :class:`Packet` in, edXML bytes out, validated against our XSD.

Everything we emit follows the reference notes' formats and element order. Values
are checked against the code lists in :mod:`shared.edxml.codes`, then the built
packet is validated against ``schema/edxml.xsd``; any problem raises
:class:`PacketInvalid` and nothing is returned.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib import resources

from lxml import etree

from shared.edxml import attachments as att
from shared.edxml import codes
from shared.edxml.errors import PacketInvalid, PacketRefused
from shared.edxml.formats import format_date, format_timestamp
from shared.edxml.model import (
    Attachment,
    Business,
    BusinessDocumentInfo,
    Code,
    DocumentId,
    DocumentType,
    Organization,
    OtherInfo,
    Packet,
    PromulgationInfo,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    TraceHeader,
    TraceHeaderList,
)
from shared.edxml.safexml import safe_parser
from shared.organ import is_organ_id

__all__ = [
    "build_packet",
    "document_packet",
    "new_attachment",
    "schema",
    "status_packet",
    "validate_packet",
]

NS = codes.NAMESPACE


@cache
def schema() -> etree.XMLSchema:
    """The writer's XSD (package data ``shared/edxml/schema/edxml.xsd``)."""
    source = resources.files("shared.edxml").joinpath("schema/edxml.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(source, safe_parser()))


def validate_packet(data: bytes) -> list[str]:
    """XSD errors of ``data`` as ``"dòng N: message"`` (empty list = valid)."""
    try:
        document = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        return [f"dòng {exc.lineno}: không phải XML hợp lệ: {exc.msg}"]
    xsd = schema()
    if xsd.validate(document):
        return []
    return [f"dòng {error.line}: {error.message}" for error in xsd.error_log]


# ---------------------------------------------------------------- convenience constructors


def new_attachment(
    name: str,
    data: bytes,
    content_type: str | None = None,
    description: str | None = None,
    content_id: str | None = None,
) -> Attachment:
    """An attachment to send: a fresh ``cid``, the MIME type guessed when not given."""
    return Attachment(
        content_id=content_id or str(uuid.uuid4()),
        name=name,
        content_type=content_type or att.guess_content_type(name, data),
        data=data,
        description=description if description is not None else name,
    )


def document_packet(
    *,
    sender: Organization,
    recipients: Sequence[Organization],
    code: Code,
    promulgation_date: str,
    subject: str,
    place: str | None = None,
    type_name: str = codes.DEFAULT_TYPE_NAME,
    document_type: int = codes.DocumentTypeCode.HANH_CHINH,
    type_detail: int | None = None,
    content: str | None = None,
    signer: SignerInfo | None = None,
    due_date: str | None = None,
    other_info: OtherInfo | None = None,
    steering_type: int = codes.SteeringType.KHONG_CHI_DAO,
    to_places: Sequence[str] = (),
    response_for: Sequence[ResponseFor] = (),
    business_doc_type: int = codes.BusinessDocType.NEW,
    business_doc_reason: str | None = None,
    target_document_id: DocumentId | None = None,
    document_info: BusinessDocumentInfo | None = None,
    replacements: Sequence[ReplacementInfo] = (),
    staff_info: StaffInfo | None = None,
    paper: int = 0,
    attachments: Sequence[Attachment] = (),
    sent_at: str | None = None,
) -> Packet:
    """A document packet with the canonical DocumentId and one TraceHeader (us, now).

    Recall (1) names the recalled document in ``response_for``, update (2) in
    ``target_document_id``, replacement (3) in ``replacements``.
    """
    timestamp = sent_at or datetime.now().replace(microsecond=0).isoformat()
    return Packet(
        kind="document",
        sender=sender,
        recipients=tuple(recipients),
        document_id=_compose_id(sender.organ_id, promulgation_date, code),
        code=code,
        promulgation=PromulgationInfo(date=promulgation_date, place=place),
        document_type=DocumentType(
            type=document_type, type_name=type_name, type_detail=type_detail
        ),
        subject=subject,
        content=content,
        signer=signer,
        due_date=due_date,
        other_info=other_info,
        response_for=tuple(response_for),
        steering_type=steering_type,
        to_places=tuple(to_places),
        trace=TraceHeaderList(
            trace_headers=(TraceHeader(sender.organ_id, timestamp),),
            business=Business(
                business_doc_type=business_doc_type,
                business_doc_reason=business_doc_reason
                or codes.BUSINESS_DOC_REASONS.get(business_doc_type),
                document_id=target_document_id,
                paper=paper,
                document_info=document_info,
                replacements=tuple(replacements),
                staff_info=staff_info,
            ),
        ),
        attachments=tuple(attachments),
    )


def _compose_id(organ_id: str, promulgation_date: str, code: Code) -> DocumentId:
    try:
        return DocumentId.compose(organ_id, promulgation_date, code.number, code.notation)
    except ValueError:  # a bad date: build_packet reports it
        return DocumentId(raw=f"{organ_id},{promulgation_date},{code}")


def status_packet(
    *,
    sender: Organization,
    response_for: ResponseFor,
    status_code: str,
    description: str | None = None,
    staff_info: StaffInfo | None = None,
    timestamp: str | None = None,
) -> Packet:
    """A status packet; the description defaults to the code's standard wording."""
    known = codes.STATUS_CODES.get(status_code)
    return Packet(
        kind="status",
        sender=sender,
        response_for=(response_for,),
        staff_info=staff_info,
        status_code=status_code,
        status_description=description or (known.description if known else None),
        timestamp=timestamp or datetime.now().replace(microsecond=0).isoformat(),
    )


# ---------------------------------------------------------------- checks


def _check_date(value: str | None, what: str, problems: list[str], required: bool = True) -> None:
    if value is None:
        if required:
            problems.append(f"thiếu {what}")
        return
    try:
        format_date(value)
    except ValueError:
        problems.append(f"{what} {value!r} không phải ngày hợp lệ")


def _check_code(value: int | str | None, table: dict, what: str, problems: list[str]) -> None:
    if value is not None and value not in table:
        problems.append(f"{what} = {value} không có trong bảng mã ({', '.join(map(str, table))})")


def _check_organ(organ: Organization | None, what: str, problems: list[str]) -> None:
    if organ is None:
        problems.append(f"thiếu {what}")
        return
    if not is_organ_id(organ.organ_id):
        problems.append(f"{what}: mã định danh {organ.organ_id!r} sai cấu trúc")
    if not organ.organ_name:
        problems.append(f"{what}: thiếu tên cơ quan")


def _problems(packet: Packet) -> list[str]:
    problems: list[str] = []
    _check_organ(packet.sender, "From", problems)
    if packet.kind == "status":
        if len(packet.response_for) != 1:
            problems.append("gói tin trạng thái cần đúng một ResponseFor")
        for target in packet.response_for:
            if target.document_id is None:
                problems.append("ResponseFor thiếu DocumentId")
        _check_code(packet.status_code, codes.STATUS_CODES, "StatusCode", problems)
        if packet.status_code is None:
            problems.append("thiếu StatusCode")
        if packet.timestamp is None:
            problems.append("thiếu Timestamp")
        return problems
    return problems + _document_problems(packet)


def _document_problems(packet: Packet) -> list[str]:
    problems: list[str] = []
    if not packet.recipients:
        problems.append("thiếu nơi nhận (To)")
    for organ in packet.recipients:
        _check_organ(organ, "To", problems)
    doc = packet.document_id
    if doc is None or not doc.is_standard:
        raw = None if doc is None else doc.raw
        problems.append(
            f"DocumentId {raw!r} không theo dạng <mã cơ quan>,<yyyy/MM/dd>,<số>/<ký hiệu>"
        )
    if packet.code is None:
        problems.append("thiếu Code (số, ký hiệu)")
    promulgated = packet.promulgation.date if packet.promulgation else None
    _check_date(promulgated, "PromulgationDate", problems)
    _check_date(packet.due_date, "DueDate", problems, required=False)
    kind = packet.document_type
    if kind is None or kind.type is None or not kind.type_name:
        problems.append("DocumentType cần Type và TypeName")
    else:
        _check_code(kind.type, codes.DOCUMENT_TYPES, "DocumentType/Type", problems)
    if not packet.subject:
        problems.append("thiếu trích yếu (Subject)")
    if packet.steering_type is None:
        problems.append("thiếu SteeringType")
    _check_code(packet.steering_type, codes.STEERING_TYPES, "SteeringType", problems)
    if packet.other_info is not None:
        _check_code(packet.other_info.priority, codes.PRIORITIES, "Priority", problems)
    for target in packet.response_for:
        if target.document_id is None or target.organ_id is None:
            problems.append("ResponseFor cần OrganId và DocumentId")
        _check_date(target.promulgation_date, "ResponseFor/PromulgationDate", problems, False)
    _check_trace(packet, problems)
    _check_attachments(packet.attachments, problems)
    return problems


def _check_trace(packet: Packet, problems: list[str]) -> None:
    trace = packet.trace
    if trace is None or not trace.trace_headers:
        problems.append("thiếu TraceHeader")
        return
    for header in trace.trace_headers:
        if header.timestamp is None:
            problems.append(f"TraceHeader của {header.organ_id} thiếu Timestamp")
    business = trace.business
    if business is None:
        return
    kind = business.business_doc_type
    _check_code(kind, codes.BUSINESS_DOC_TYPES, "BussinessDocType", problems)
    _check_code(business.paper, codes.PAPER, "Paper", problems)
    if kind == codes.BusinessDocType.NEW and business.document_id is not None:
        problems.append("văn bản mới không được có Bussiness/DocumentId")
    if kind == codes.BusinessDocType.REVOKE and not packet.response_for:
        problems.append("thu hồi cần ResponseFor trỏ tới văn bản bị thu hồi")
    if kind == codes.BusinessDocType.UPDATE and business.document_id is None:
        problems.append("cập nhật cần Bussiness/DocumentId của văn bản được cập nhật")
    if kind == codes.BusinessDocType.REPLACE and not business.replacements:
        problems.append("thay thế cần ReplacementInfoList")
    if kind != codes.BusinessDocType.REPLACE and business.replacements:
        problems.append("chỉ văn bản thay thế mới có ReplacementInfoList")
    if business.document_info is not None:
        for receiver in business.document_info.receivers:
            _check_code(receiver.receiver_type, codes.RECEIVER_TYPES, "ReceiverType", problems)


def _check_attachments(attachments: Sequence[Attachment], problems: list[str]) -> None:
    ids = [item.content_id for item in attachments]
    if len(set(ids)) != len(ids):
        problems.append("ContentId của tệp đính kèm bị trùng")
    for item in attachments:
        if not item.content_id or not item.name or not item.content_type:
            problems.append("tệp đính kèm cần ContentId, AttachmentName và ContentType")
            continue
        try:
            actual = att.check_declared_type(item.data, item.content_type, item.name)
        except PacketRefused as exc:
            problems.append(exc.message)
            continue
        if actual is not None:
            problems.append(
                f"tệp {item.name!r} khai báo {item.content_type} nhưng nội dung là {actual.upper()}"
            )


# ---------------------------------------------------------------- emission


def _sub(
    parent: etree._Element, name: str, nsmap: dict[str | None, str] | None = None
) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{name}", nsmap=nsmap)


def _add(parent: etree._Element, name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(int(value)) if isinstance(value, int) else str(value)
    _sub(parent, name).text = text


def _organization(parent: etree._Element, name: str, organ: Organization, status: bool) -> None:
    el = _sub(parent, name)
    _add(el, "OrganId", organ.organ_id)
    if status:
        _add(el, "OrganName", organ.organ_name)
        _add(el, "OrganizationInCharge", organ.organization_in_charge)
    else:
        _add(el, "OrganizationInCharge", organ.organization_in_charge)
        _add(el, "OrganName", organ.organ_name)
    _add(el, "OrganAdd", organ.organ_add)
    _add(el, "Email", organ.email)
    _add(el, "Telephone", organ.telephone)
    _add(el, "Fax", organ.fax)
    _add(el, "Website", organ.website)


def _staff(parent: etree._Element, staff: StaffInfo | None, status: bool) -> None:
    if staff is None:
        return
    el = _sub(parent, "StaffInfo")
    _add(el, "Department", staff.department)
    _add(el, "Staff", staff.staff)
    pair = (("Mobile", staff.mobile), ("Email", staff.email))
    for name, value in pair if status else pair[::-1]:
        _add(el, name, value)


def _response_for(parent: etree._Element, target: ResponseFor) -> None:
    el = _sub(parent, "ResponseFor")
    _add(el, "OrganId", target.organ_id)
    _add(el, "Code", target.code)
    if target.promulgation_date:
        _add(el, "PromulgationDate", format_date(target.promulgation_date))
    _add(el, "DocumentId", target.document_id.raw if target.document_id else None)


def _status_header(header: etree._Element, packet: Packet) -> None:
    assert packet.sender is not None
    _organization(header, "From", packet.sender, status=True)
    for target in packet.response_for:
        _response_for(header, target)
    _staff(header, packet.staff_info, status=True)
    _add(header, "StatusCode", packet.status_code)
    _add(header, "Description", packet.status_description)
    _add(header, "Timestamp", format_timestamp(packet.timestamp or ""))


def _document_header(header: etree._Element, packet: Packet) -> None:
    assert packet.sender is not None
    assert packet.document_id is not None
    assert packet.code is not None
    assert packet.promulgation is not None
    assert packet.document_type is not None
    _organization(header, "From", packet.sender, status=False)
    for organ in packet.recipients:
        _organization(header, "To", organ, status=False)
    _add(header, "DocumentId", packet.document_id.raw)
    code = _sub(header, "Code")
    _add(code, "CodeNumber", packet.code.number)
    _add(code, "CodeNotation", packet.code.notation)
    info = _sub(header, "PromulgationInfo")
    _add(info, "Place", packet.promulgation.place)
    _add(info, "PromulgationDate", format_date(packet.promulgation.date or ""))
    kind = _sub(header, "DocumentType")
    _add(kind, "Type", packet.document_type.type)
    _add(kind, "TypeDetail", packet.document_type.type_detail)
    _add(kind, "TypeName", packet.document_type.type_name)
    _add(header, "Subject", packet.subject)
    _add(header, "Content", packet.content)
    if packet.signer is not None:
        signer = _sub(header, "SignerInfo")
        _add(signer, "Competence", packet.signer.competence)
        _add(signer, "Position", packet.signer.position)
        _add(signer, "FullName", packet.signer.full_name)
    if packet.due_date:
        _add(header, "DueDate", format_date(packet.due_date))
    if packet.other_info is not None:
        _other_info(header, packet.other_info)
    for target in packet.response_for:
        _response_for(header, target)
    _add(header, "SteeringType", packet.steering_type)
    if packet.to_places:
        places = _sub(header, "ToPlaces")
        for place in packet.to_places:
            _add(places, "Place", place)


def _other_info(parent: etree._Element, other: OtherInfo) -> None:
    el = _sub(parent, "OtherInfo")
    _add(el, "Priority", other.priority)
    _add(el, "SphereOfPromulgation", other.sphere_of_promulgation)
    _add(el, "TyperNotation", other.typer_notation)
    _add(el, "PromulgationAmount", other.promulgation_amount)
    _add(el, "PageAmount", other.page_amount)
    _add(el, "ReplyFors", other.reply_fors)
    _add(el, "Direction", other.direction)
    _add(el, "ReferenceCodes", other.reference_codes)
    if other.appendixes:
        appendixes = _sub(el, "Appendixes")
        for item in other.appendixes:
            _add(appendixes, "Appendix", item)


def _trace(parent: etree._Element, trace: TraceHeaderList) -> None:
    el = _sub(parent, "TraceHeaderList")
    for header in trace.trace_headers:
        item = _sub(el, "TraceHeader")
        _add(item, "OrganId", header.organ_id)
        _add(item, "Timestamp", format_timestamp(header.timestamp or ""))
    business = trace.business
    if business is None:
        return
    b = _sub(el, "Bussiness")
    _add(b, "DocumentId", business.document_id.raw if business.document_id else None)
    _add(b, "BussinessDocType", business.business_doc_type)
    _add(b, "BussinessDocReason", business.business_doc_reason)
    _add(b, "Paper", business.paper)
    if business.document_info is not None:
        info = _sub(b, "BussinessDocumentInfo")
        _add(info, "DocumentInfo", business.document_info.document_info)
        _add(info, "DocumentReceiver", business.document_info.document_receiver)
        if business.document_info.receivers:
            receivers = _sub(info, "ReceiverList")
            for receiver in business.document_info.receivers:
                r = _sub(receivers, "Receiver")
                _add(r, "OrganId", receiver.organ_id)
                _add(r, "ReceiverType", receiver.receiver_type)
    if business.replacements:
        replacements = _sub(b, "ReplacementInfoList")
        for replacement in business.replacements:
            r = _sub(replacements, "ReplacementInfo")
            _add(r, "DocumentId", replacement.document_id.raw)
            if replacement.organ_ids:
                organs = _sub(r, "OrganIdList")
                for organ_id in replacement.organ_ids:
                    _add(organs, "OrganId", organ_id)
    _staff(b, business.staff_info, status=False)


def _attachments(root: etree._Element, envelope: etree._Element, packet: Packet) -> None:
    manifest = _sub(_sub(envelope, "edXMLBody"), "edXMLManifest")
    manifest.set("version", "1.0")
    for item in packet.attachments:
        ref = _sub(manifest, "Reference")
        _add(ref, "ContentId", f"cid:{item.content_id}")
        _add(ref, "ContentType", item.content_type)
        _add(ref, "Description", item.description)
        _add(ref, "AttachmentName", item.name)
    if not packet.attachments:
        return
    encoded = _sub(root, "AttachmentEncoded")
    for item in packet.attachments:
        el = _sub(encoded, "Attachment")
        _add(el, "ContentId", f"cid:{item.content_id}")
        _add(el, "AttachmentName", item.name)
        _add(el, "Description", item.description)
        _add(el, "ContentType", item.content_type)
        data = _sub(el, "ContentTransferEncoded", nsmap={"edXML": NS})
        data.text = base64.b64encode(item.data).decode("ascii")


def build_packet(packet: Packet) -> bytes:
    """Serialise ``packet`` strictly; raise :class:`PacketInvalid` on any problem."""
    problems = _problems(packet)
    if problems:
        raise PacketInvalid(problems)
    root = etree.Element(f"{{{NS}}}edXML", nsmap={None: NS})
    envelope = _sub(root, "edXMLEnvelope", nsmap={"edXML": NS})
    edxml_header = _sub(envelope, "edXMLHeader")
    header = _sub(edxml_header, "MessageHeader")
    if packet.kind == "status":
        _status_header(header, packet)
    else:
        _document_header(header, packet)
        assert packet.trace is not None
        _trace(edxml_header, packet.trace)
        _attachments(root, envelope, packet)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    errors = validate_packet(data)
    if errors:
        raise PacketInvalid(errors)
    return data
