"""Signed PDFs: verify their signatures offline and match them to the issued document.

The names below load on first use (PEP 562): pyHanko takes ~0.4 s to import,
and ``vanthu`` imports this package for its ``archive verify`` options.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

from cryptography.utils import CryptographyDeprecationWarning

if TYPE_CHECKING:
    from shared.signatures.compare import MatchResult, compare_with_issued
    from shared.signatures.report import InvalidPdf, PdfReport, SignatureReport
    from shared.signatures.verify import load_trust_roots, verify_pdf

# pyHanko (0.38.0, the newest) imports cryptography's DSA key classes to tell key
# types apart, and cryptography 51 deprecates DSA on that import. It is pyHanko's
# code, not ours, and our signing never uses DSA keys: keep
# that one warning out of every command's output. pyproject.toml filters it for
# the tests the same way. Remove both once pyHanko no longer imports DSA.
warnings.filterwarnings(
    "ignore",
    message="DSA is deprecated",
    category=CryptographyDeprecationWarning,
    module=r"pyhanko\.",
)

_HOMES = {
    "MatchResult": "compare",
    "compare_with_issued": "compare",
    "InvalidPdf": "report",
    "PdfReport": "report",
    "SignatureReport": "report",
    "load_trust_roots": "verify",
    "verify_pdf": "verify",
}

__all__ = [
    "InvalidPdf",
    "MatchResult",
    "PdfReport",
    "SignatureReport",
    "compare_with_issued",
    "load_trust_roots",
    "verify_pdf",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
