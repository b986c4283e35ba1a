"""Số and ký hiệu: the Phụ lục III table, composition, the leading zero."""

from __future__ import annotations

import pytest

from services.docgen.catalogue import default_catalogue
from shared.numbering import code, compose, format_number, phu_luc_iii
from shared.numbering.notation import UnknownType


def test_the_table_spells_the_abbreviations_as_the_appendix_does() -> None:
    table = phu_luc_iii()
    assert len(table.types) == 29
    assert table.of("QUYẾT ĐỊNH") == "QĐ"
    assert table.of("Quy định") == "QyĐ"
    assert table.of("tờ trình") == "TTr"
    assert table.of("Chương trình") == "CTr"
    assert table.copies["Bản trích sao"] == "TrS"
    assert table.of("Công văn") is None  # công văn and thư công have none
    assert table.of("Kế hoạch", {"Kế hoạch": "KHo"}) == "KHo"  # a body may set its own
    with pytest.raises(UnknownType):
        table.of("Tờ khai")


def test_every_catalogue_abbreviation_is_the_appendix_one() -> None:
    table = phu_luc_iii()
    for template in default_catalogue():
        if template.type_name:
            assert table.of(template.type_name) == template.abbreviation, template.id


def test_compose_and_print() -> None:
    assert compose(type_abbreviation="QĐ", issuer="UBND") == "QĐ-UBND"
    assert compose(type_abbreviation=None, issuer="UBND", unit="VP") == "UBND-VP"
    with pytest.raises(ValueError, match="đơn vị soạn thảo"):
        compose(type_abbreviation=None, issuer="UBND")
    with pytest.raises(ValueError, match="không hợp lệ"):
        compose(type_abbreviation="QĐ", issuer="UB ND")
    assert [format_number(n) for n in (1, 9, 10, 100)] == ["01", "09", "10", "100"]
    assert code(5, "UBND-VP") == "05/UBND-VP"
    with pytest.raises(ValueError, match="từ 1"):
        format_number(0)
