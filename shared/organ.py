"""The body (cơ quan, tổ chức): vanthu's unit of tenancy, named by its OrganId."""

from __future__ import annotations

import re

# QCVN 102:2016 electronic identifier: three numeric levels and a lettered one,
# e.g. 000.00.32.H43 (a district People's Committee).
ORGAN_ID_PATTERN = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"
_ORGAN_ID = re.compile(ORGAN_ID_PATTERN)


def is_organ_id(value: str) -> bool:
    return bool(_ORGAN_ID.match(value))
