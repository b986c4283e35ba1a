"""The worker's side of issuing: render the final files once a document is issued."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from services.docgen.issuing.service import IssueService
from shared.bus import Envelope
from shared.bus.consumer import PermanentError


def render_preparer(issuing: IssueService) -> Callable[[Envelope], None]:
    """``document.issued`` → the numbered DOCX and PDF, stored once (before the inbox
    transaction, so the render holds no database lock)."""

    def prepare(envelope: Envelope) -> None:
        document_id = envelope.payload.get("document_id")
        if not isinstance(document_id, str):
            raise PermanentError("document.issued without document_id")
        issuing.render_final(document_id)

    return prepare


def issued_recorded(_session: Session, _envelope: Envelope) -> None:
    """Nothing more to do in the transaction: the files were stored by the preparer."""
