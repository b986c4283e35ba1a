"""Packets arriving from the e-office system, as the consumer sees them.

A packet arrives as raw edXML on ``vanthu.intake.edxml``. ``decode_packet``
wraps it in an envelope whose id is derived from the bytes, so a redelivered
packet is recognised by the inbox; a packet our consumer put back for a retry
(it carries the attempt header) is already an envelope.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from collections.abc import Callable

from kombu import Message

from shared.bus import Envelope
from shared.bus.messages import ATTEMPT_HEADER
from shared.organ import is_organ_id

PACKET_EVENT = "edxml.packet"
HEAD_BYTES = 64 * 1024  # what is kept of a packet over the size limit

# Read without parsing (the packet may be hostile or broken): the sender and the
# DocumentId, to answer a refused packet with status 02 where that is possible.
_FROM = re.compile(rb"<(?:\w+:)?From\b.*?<(?:\w+:)?OrganId>\s*([^<\s]{1,35})\s*<", re.S)
_DOCUMENT_ID = re.compile(rb"<(?:\w+:)?DocumentId>\s*([^<]{1,200}?)\s*<", re.S)


def packet_id(raw: bytes, message_id: str | None = None) -> str:
    """The envelope id of a delivery: the sender's message id where it gave one (a
    redelivery of that message is a duplicate; the same packet sent again is not,
    and gets its answer again), else the bytes' hash. 36 characters."""
    key = f"message:{message_id}" if message_id else "sha256:" + hashlib.sha256(raw).hexdigest()
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "edxml:" + key))


def packet_decoder(max_bytes: int) -> Callable[[Message], Envelope]:
    """The inbound queue's decoder. A packet over ``max_bytes`` keeps only its head
    (enough to see who sent it): it is refused, and a retry could not change that."""

    def decode(message: Message) -> Envelope:
        headers = message.headers or {}
        if ATTEMPT_HEADER in headers:
            return Envelope.from_json(message.body)
        body = message.body
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        recipient = str((message.delivery_info or {}).get("routing_key") or "")
        payload: dict[str, object] = {"packet_b64": base64.b64encode(raw[:max_bytes]).decode()}
        if len(raw) > max_bytes:
            payload = {
                "packet_b64": base64.b64encode(raw[:HEAD_BYTES]).decode(),
                "oversize": len(raw),
            }
        return Envelope(
            type=PACKET_EVENT,
            organ_id=recipient if is_organ_id(recipient) else "",
            payload=payload,
            id=packet_id(raw, (message.properties or {}).get("message_id")),
        )

    return decode


def packet_bytes(envelope: Envelope) -> bytes:
    return base64.b64decode(envelope.payload["packet_b64"])


def identify(raw: bytes) -> tuple[str, str] | None:
    """(sender OrganId, DocumentId) read from raw bytes, or None when either is missing."""
    head = raw[:200_000]
    sender, document = _FROM.search(head), _DOCUMENT_ID.search(head)
    if sender is None or document is None:
        return None
    try:
        return sender[1].decode("utf-8"), document[1].decode("utf-8")
    except UnicodeDecodeError:
        return None
