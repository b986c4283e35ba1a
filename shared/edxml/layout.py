"""Element orders: what the writer emits and what the reader accepts without a warning.

One tuple per container, in wire order (reference notes §3 and §6). Where the
official samples disagree among themselves, the reader accepts every listed
order; the first one is what the writer emits.
"""

from __future__ import annotations

from itertools import pairwise

__all__ = ["ACCEPTED_ORDERS"]

ORGANIZATION_DOCUMENT = (
    "OrganId", "OrganizationInCharge", "OrganName", "OrganAdd",
    "Email", "Telephone", "Fax", "Website",
)  # fmt: skip
ORGANIZATION_STATUS = (
    "OrganId", "OrganName", "OrganizationInCharge", "OrganAdd",
    "Email", "Telephone", "Fax", "Website",
)  # fmt: skip
MESSAGE_HEADER_DOCUMENT = (
    "From", "To", "DocumentId", "Code", "PromulgationInfo", "DocumentType", "Subject",
    "Content", "SignerInfo", "DueDate", "OtherInfo", "ResponseFor", "SteeringType", "ToPlaces",
)  # fmt: skip
#: The "specification" order of some implementations (DocumentId last): read with a warning.
MESSAGE_HEADER_DOCUMENT_ALT = (
    "From", "To", "Code", "PromulgationInfo", "DocumentType", "Subject", "Content",
    "SignerInfo", "DueDate", "ToPlaces", "OtherInfo", "ResponseFor", "SteeringType", "DocumentId",
)  # fmt: skip
MESSAGE_HEADER_STATUS = (
    "From", "ResponseFor", "StaffInfo", "StatusCode", "Description", "Timestamp",
)  # fmt: skip
CODE = ("CodeNumber", "CodeNotation")
PROMULGATION_INFO = ("Place", "PromulgationDate")
DOCUMENT_TYPE = ("Type", "TypeDetail", "TypeName")
SIGNER_INFO = ("Competence", "Position", "FullName")
OTHER_INFO = (
    "Priority", "SphereOfPromulgation", "TyperNotation", "PromulgationAmount", "PageAmount",
    "ReplyFors", "Direction", "ReferenceCodes", "Appendixes",
)  # fmt: skip
RESPONSE_FOR = ("OrganId", "Code", "PromulgationDate", "DocumentId")
STAFF_INFO_DOCUMENT = ("Department", "Staff", "Email", "Mobile")
STAFF_INFO_STATUS = ("Department", "Staff", "Mobile", "Email")
TRACE_HEADER_LIST = ("TraceHeader", "Bussiness")
TRACE_HEADER = ("OrganId", "Timestamp")
BUSINESS = (
    "DocumentId", "BussinessDocType", "BussinessDocReason", "Paper",
    "BussinessDocumentInfo", "ReplacementInfoList", "StaffInfo",
)  # fmt: skip
BUSINESS_DOCUMENT_INFO = ("DocumentInfo", "DocumentReceiver", "ReceiverList")
RECEIVER = ("OrganId", "ReceiverType")
REPLACEMENT_INFO = ("DocumentId", "OrganIdList")
HEADER = ("MessageHeader", "Status", "TraceHeaderList", "Signature", "DigitalSignature")
REFERENCE = ("ContentId", "ContentType", "Description", "AttachmentName")
ATTACHMENT = ("ContentId", "AttachmentName", "Description", "ContentType", "ContentTransferEncoded")

#: Container name → accepted orders (first = written). Keys are reader contexts.
ACCEPTED_ORDERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "MessageHeader/document": (MESSAGE_HEADER_DOCUMENT,),
    "MessageHeader/status": (MESSAGE_HEADER_STATUS,),
    "Organization/document": (ORGANIZATION_DOCUMENT, ORGANIZATION_STATUS),
    "Organization/status": (ORGANIZATION_STATUS, ORGANIZATION_DOCUMENT),
    "StaffInfo/document": (STAFF_INFO_DOCUMENT, STAFF_INFO_STATUS),
    "StaffInfo/status": (STAFF_INFO_STATUS, STAFF_INFO_DOCUMENT),
    "edXMLHeader": (HEADER,),
    "Code": (CODE,),
    "PromulgationInfo": (PROMULGATION_INFO,),
    "DocumentType": (DOCUMENT_TYPE,),
    "SignerInfo": (SIGNER_INFO,),
    "OtherInfo": (OTHER_INFO,),
    "ResponseFor": (RESPONSE_FOR,),
    "TraceHeaderList": (TRACE_HEADER_LIST,),
    "TraceHeader": (TRACE_HEADER,),
    "Bussiness": (BUSINESS,),
    "BussinessDocumentInfo": (BUSINESS_DOCUMENT_INFO,),
    "Receiver": (RECEIVER,),
    "ReplacementInfo": (REPLACEMENT_INFO,),
    "Reference": (REFERENCE,),
    "Attachment": (ATTACHMENT,),
}


def in_order(names: list[str], order: tuple[str, ...]) -> bool:
    """Whether the known ``names`` appear in ``order``'s sequence (unknown names ignored)."""
    positions = [order.index(n) for n in names if n in order]
    return all(a <= b for a, b in pairwise(positions))
