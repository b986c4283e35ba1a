"""The body (cơ quan, tổ chức): vanthu's unit of tenancy, named by its OrganId."""

from __future__ import annotations

import re

# QCVN 102:2016 electronic identifier: three numeric levels and a lettered one,
# e.g. 000.00.32.H43 (a district People's Committee). ASCII digits only: \d would
# take fullwidth or Arabic-Indic digits too, a look-alike of another body's id.
ORGAN_ID_PATTERN = r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$"
_ORGAN_ID = re.compile(ORGAN_ID_PATTERN)


def is_organ_id(value: str) -> bool:
    """``value`` is an OrganId, the whole of it (no trailing newline either)."""
    return _ORGAN_ID.fullmatch(value) is not None
