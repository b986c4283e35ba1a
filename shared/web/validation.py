"""Turn pydantic's complaints into per-field errors a Vietnamese clerk can read."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared.text import nfc_all
from shared.web.problems import Problem

M = TypeVar("M", bound=BaseModel)

_MESSAGES: dict[str, str] = {
    "missing": "Thiếu trường bắt buộc.",
    "extra_forbidden": "Trường này không được chấp nhận.",
    "string_type": "Giá trị phải là chuỗi ký tự.",
    "string_too_short": "Chuỗi quá ngắn (tối thiểu {min_length} ký tự).",
    "string_too_long": "Chuỗi quá dài (tối đa {max_length} ký tự).",
    "string_pattern_mismatch": "Giá trị không đúng định dạng.",
    "int_type": "Giá trị phải là số nguyên.",
    "int_parsing": "Giá trị phải là số nguyên.",
    "int_from_float": "Giá trị phải là số nguyên.",
    "decimal_type": "Giá trị phải là số.",
    "decimal_parsing": "Giá trị phải là số.",
    "float_type": "Giá trị phải là số.",
    "float_parsing": "Giá trị phải là số.",
    "bool_type": "Giá trị phải là true hoặc false.",
    "bool_parsing": "Giá trị phải là true hoặc false.",
    "greater_than": "Giá trị phải lớn hơn {gt}.",
    "greater_than_equal": "Giá trị phải lớn hơn hoặc bằng {ge}.",
    "less_than": "Giá trị phải nhỏ hơn {lt}.",
    "less_than_equal": "Giá trị phải nhỏ hơn hoặc bằng {le}.",
    "too_short": "Danh sách quá ngắn (tối thiểu {min_length} phần tử).",
    "too_long": "Danh sách quá dài (tối đa {max_length} phần tử).",
    "list_type": "Giá trị phải là một danh sách.",
    "dict_type": "Giá trị phải là một đối tượng JSON.",
    "model_type": "Giá trị phải là một đối tượng JSON.",
    "model_attributes_type": "Giá trị phải là một đối tượng JSON.",
    "literal_error": "Giá trị không thuộc danh sách cho phép: {expected}.",
    "enum": "Giá trị không thuộc danh sách cho phép: {expected}.",
    "date_type": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_from_datetime_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_from_datetime_inexact": "Ngày không được chứa giờ.",
    "datetime_type": "Thời điểm không hợp lệ (định dạng ISO 8601).",
    "datetime_parsing": "Thời điểm không hợp lệ (định dạng ISO 8601).",
    "union_tag_invalid": "Loại không hợp lệ ({tag}); các loại được chấp nhận: {expected_tags}.",
    "union_tag_not_found": "Thiếu trường phân loại ({discriminator}).",
    "uuid_type": "Giá trị phải là UUID.",
    "uuid_parsing": "Giá trị phải là UUID.",
}


def field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors(include_url=False):
        kind = error["type"]
        context = error.get("ctx") or {}
        template = _MESSAGES.get(kind)
        if template is None and kind == "value_error":
            message = f"Giá trị không hợp lệ: {context.get('error', error['msg'])}"
        elif template is None:
            message = "Giá trị không hợp lệ."
        else:
            try:
                message = template.format(**context)
            except (KeyError, IndexError):
                message = template
        errors.append(
            {
                "field": ".".join(str(part) for part in error["loc"]) or "(body)",
                "code": kind,
                "message": message,
            }
        )
    return errors


def parse_model(model: type[M], data: Any) -> M:
    """Validate ``data`` (its text put in NFC first) as ``model``, or raise a 422 problem
    naming each bad field."""
    try:
        return model.model_validate(nfc_all(data))
    except ValidationError as exc:
        raise Problem("validation_failed", errors=field_errors(exc)) from None
