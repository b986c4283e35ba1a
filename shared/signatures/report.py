"""What a verification says: per-signature findings, the file's verdict, and refusals."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

Status = Literal["unsigned", "valid", "broken", "untrusted"]
RefusalCode = Literal["not_pdf", "truncated", "too_large", "unreadable"]

# Problems that make a signature worthless as evidence (the rest only withhold trust).
BREAKING_PROBLEMS = frozenset(
    {
        "unreadable_signature",
        "digest_mismatch",
        "invalid_signature",
        "partial_coverage",
        "modified",
        "timestamp_broken",
    }
)


class InvalidPdf(Exception):
    """The bytes are refused before any signature is looked at.

    ``code`` is stable for programs (``not_pdf``, ``truncated``, ``too_large``,
    ``unreadable``); ``reason`` is the Vietnamese text for people.
    """

    def __init__(self, code: RefusalCode, reason: str) -> None:
        super().__init__(reason)
        self.code: RefusalCode = code
        self.reason = reason


@dataclass(frozen=True)
class SignatureReport:
    """Findings on one signature field.

    Times are ISO 8601 in Vietnam time (+07:00). ``problems`` holds stable codes and
    ``reasons`` the matching Vietnamese sentences, in the same order.
    """

    field_name: str
    signer_name: str | None
    subject: str | None
    subject_cn: str | None
    subject_o: str | None
    issuer: str | None
    serial: str | None
    signing_time: str | None
    timestamp_time: str | None
    intact: bool
    trusted: bool
    coverage: str | None
    modification_level: str | None
    problems: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def status(self) -> Status:
        """``broken``, ``untrusted`` or ``valid`` for this signature alone."""
        if BREAKING_PROBLEMS.intersection(self.problems):
            return "broken"
        return "untrusted" if self.problems else "valid"


@dataclass(frozen=True)
class PdfReport:
    """The verdict on one PDF file and the findings on each of its signatures, in signing order."""

    sha256: str
    size: int
    signatures: tuple[SignatureReport, ...]

    @property
    def status(self) -> Status:
        """``unsigned``, else the worst signature status: ``broken``, ``untrusted``, ``valid``."""
        if not self.signatures:
            return "unsigned"
        statuses = {sig.status for sig in self.signatures}
        if "broken" in statuses:
            return "broken"
        return "untrusted" if "untrusted" in statuses else "valid"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view, status included."""
        return {
            "sha256": self.sha256,
            "size": self.size,
            "status": self.status,
            "signatures": [
                {
                    # Shallow on purpose: asdict() deep-copies and cost more than validating.
                    **{f.name: getattr(sig, f.name) for f in fields(sig)},
                    "status": sig.status,
                    "problems": list(sig.problems),
                    "reasons": list(sig.reasons),
                }
                for sig in self.signatures
            ],
        }
