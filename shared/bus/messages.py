"""The envelope every event travels in."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.db.types import new_id, utcnow

ATTEMPT_HEADER = "x-vanthu-attempt"
ERROR_HEADER = "x-vanthu-last-error"
ORIGIN_HEADER = "x-vanthu-origin-queue"
FAILED_AT_HEADER = "x-vanthu-failed-at"
# Set on an outbox row whose body is not an envelope (an edXML packet): the relay
# publishes the body with this content type and drops the header.
CONTENT_TYPE_HEADER = "x-vanthu-content-type"


@dataclass(frozen=True)
class Envelope:
    """An event: what happened (``type``), to which body, with what data.

    ``id`` is stable across redeliveries and retries; consumers de-duplicate on it.
    """

    type: str
    organ_id: str
    payload: dict[str, Any]
    id: str = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=utcnow)

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "type": self.type,
                "organ_id": self.organ_id,
                "occurred_at": self.occurred_at.isoformat(),
                "payload": self.payload,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str | bytes | dict[str, Any]) -> Envelope:
        try:
            data = raw if isinstance(raw, dict) else json.loads(raw)
            return cls(
                type=str(data["type"]),
                organ_id=str(data["organ_id"]),
                payload=dict(data["payload"]),
                id=str(data["id"]),
                occurred_at=datetime.fromisoformat(data["occurred_at"]),
            )
        except (KeyError, TypeError, ValueError) as exc:  # JSONDecodeError is a ValueError
            raise ValueError(f"not a vanthu event envelope: {exc}") from exc
