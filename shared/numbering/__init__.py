"""Registers and numbering (sổ văn bản đi/đến): gapless, never duplicated, per body and year.

``Registers`` works on the tables a service installs with ``NumberingTables``;
``notation`` composes ký hiệu; ``printing`` prints a register (PDF, XLSX);
``api`` is the HTTP face a service mounts for its direction.
"""

from shared.numbering.notation import code, compose, format_number, phu_luc_iii
from shared.numbering.registers import (
    CONG_VAN,
    BodySettings,
    Entry,
    NumberingError,
    Register,
    Registers,
    Series,
    YearState,
)
from shared.numbering.tables import NumberingTables

__all__ = [
    "CONG_VAN",
    "BodySettings",
    "Entry",
    "NumberingError",
    "NumberingTables",
    "Register",
    "Registers",
    "Series",
    "YearState",
    "code",
    "compose",
    "format_number",
    "phu_luc_iii",
]
