"""A generic JSON Schema → HTML form renderer and its way back (form → data).

It covers the shapes the template catalogue uses: strings (short, long, dates,
enums), integers, numbers, decimals (number-or-string), booleans, lists of strings,
nested objects and lists of objects. Every input is named by its path
(``data.issuer.name``, ``data.recipients.0``), the same dotted path the API's
validation errors use, so errors land next to the field they are about. Rows are
added and removed by submit buttons (``op=add:<path>`` / ``op=del:<path>:<i>``):
plain HTML, no script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

ROOT = "data"
LONG_TEXT = 1000  # maxLength above which a string gets a textarea

# Vietnamese labels for the field names the catalogue uses; others fall back to
# the schema's title.
LABELS: dict[str, str] = {
    "issuer": "Cơ quan ban hành",
    "parent": "Cơ quan chủ quản",
    "name": "Tên",
    "abbreviation": "Chữ viết tắt",
    "place": "Địa danh",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "website": "Trang thông tin điện tử",
    "notation": "Ký hiệu",
    "issued_on": "Ngày ban hành",
    "urgency": "Mức độ khẩn",
    "signer": "Người ký",
    "authority": "Thẩm quyền ký (TM., KT., TL.…)",
    "title": "Chức vụ / tiêu đề",
    "distribution": "Nơi nhận",
    "recipients": "Kính gửi / nơi nhận",
    "archive": "Lưu",
    "copies": "Số bản",
    "drafter": "Người soạn thảo (viết tắt)",
    "draft": "In dấu “DỰ THẢO”",
    "subject": "Trích yếu",
    "paragraphs": "Nội dung (các đoạn)",
    "content": "Nội dung",
    "bases": "Căn cứ",
    "articles": "Các điều",
    "sections": "Các mục",
    "heading": "Đề mục",
    "items": "Các dòng",
    "rows": "Các dòng",
    "lines": "Các dòng",
    "note": "Ghi chú",
    "remarks": "Ghi chú",
    "project": "Dự án",
    "project_name": "Tên dự án",
    "project_code": "Mã dự án",
    "projects": "Các dự án",
    "contract": "Hợp đồng",
    "contractor": "Nhà thầu",
    "owner": "Chủ đầu tư",
    "amount": "Số tiền",
    "quantity": "Khối lượng",
    "unit": "Đơn vị tính",
    "unit_price": "Đơn giá",
    "total": "Tổng cộng",
    "year": "Năm",
    "month": "Tháng",
    "deadline": "Thời hạn",
    "due_on": "Hạn",
    "location": "Địa điểm",
    "venue": "Địa điểm",
    "time": "Thời gian",
    "starts_at": "Bắt đầu lúc",
    "invitees": "Thành phần mời",
    "position": "Chức vụ",
    "representative": "Người đại diện",
    "receiver": "Bên nhận",
    "giver": "Bên giao",
    "witnesses": "Người chứng kiến",
    "stt": "STT",
    "report": "Báo cáo",
    "reporter": "Người báo cáo",
    "decision": "Quyết định",
    "budget": "Ngân sách",
    "fund_source": "Nguồn vốn",
    "payee": "Đơn vị thụ hưởng",
    "payee_account": "Số tài khoản",
    "payee_bank": "Tại ngân hàng",
    "package": "Gói thầu",
    "source": "Nguồn",
    "closing": "Kết thúc",
    "details": "Chi tiết",
    "competence": "Thẩm quyền",
}


# The API sends a schema's properties in alphabetical order; show them in the
# order of the document itself (header, subject, body, then signature and copies).
FIRST = (
    "issuer",
    "parent",
    "name",
    "abbreviation",
    "place",
    "notation",
    "issued_on",
    "urgency",
    "title",
    "subject",
    "recipients",
)
LAST = ("signer", "authority", "distribution", "archive", "copies", "drafter", "draft")


def _ordered(properties: dict[str, Any]) -> list[tuple[str, Any]]:
    def rank(item: tuple[int, str]) -> tuple[int, int]:
        position, key = item
        if key in FIRST:
            return 0, FIRST.index(key)
        if key in LAST:
            return 2, LAST.index(key)
        return 1, position

    keys = sorted(enumerate(properties), key=rank)
    return [(key, properties[key]) for _, key in keys]


@dataclass
class Widget:
    """One node of the form as the template draws it."""

    kind: str  # object, list, text, textarea, date, number, select, checkbox
    name: str
    label: str
    help: str = ""
    required: bool = False
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    children: list[Widget] = field(default_factory=list)
    rows: list[Widget] = field(default_factory=list)  # a list's items
    row_kind: str = ""  # a list's items: "scalar" or "object"
    can_add: bool = True
    can_remove: bool = True
    error: str = ""
    step: str = ""
    max_length: int | None = None


@dataclass
class Node:
    """A schema node with $ref and Optional[...] resolved."""

    kind: str  # object, array, string, integer, number, decimal, boolean, any
    schema: dict[str, Any]
    optional: bool = False


class Form:
    def __init__(self, schema: dict[str, Any], skip: frozenset[str] = frozenset({"number"})):
        self.schema = schema
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.skip = skip  # root properties never shown (a draft has no number)

    # ------------------------------------------------------------ schema

    def node(self, schema: dict[str, Any]) -> Node:
        schema = self._deref(schema)
        optional = False
        if "anyOf" in schema:
            options = [self._deref(s) for s in schema["anyOf"]]
            real = [s for s in options if s.get("type") != "null"]
            optional = len(real) < len(options)
            types = {s.get("type") for s in real}
            merged = {k: v for k, v in schema.items() if k != "anyOf"}
            if types == {"number", "string"}:
                return Node("decimal", {**real[0], **merged}, optional)
            if len(real) == 1:
                inner = self.node(real[0])
                return Node(inner.kind, {**inner.schema, **merged}, optional or inner.optional)
            return Node("any", merged, optional)
        kind = schema.get("type")
        if kind in ("object", "array", "string", "integer", "number", "boolean"):
            return Node(str(kind), schema, optional)
        return Node("any", schema, optional)

    def _deref(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            target = self.defs[schema["$ref"].rsplit("/", 1)[-1]]
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema

    # ------------------------------------------------------------ data → widgets

    def widgets(
        self,
        data: dict[str, Any],
        raw: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
    ) -> Widget:
        return self._widget(
            self.node(self.schema),
            ROOT,
            key=ROOT,
            value=data,
            raw=raw or {},
            errors=errors or {},
            required=True,
            root=True,
        )

    def _label(self, key: str, schema: dict[str, Any], name: str = "") -> str:
        if name.endswith(".distribution.recipients"):
            return "Nơi nhận (các dòng “- …;”)"
        return LABELS.get(key) or str(schema.get("title") or key)

    def _widget(
        self,
        node: Node,
        name: str,
        *,
        key: str,
        value: Any,
        raw: dict[str, str],
        errors: dict[str, str],
        required: bool,
        root: bool = False,
    ) -> Widget:
        schema = node.schema
        label = "" if root else self._label(key, schema, name)
        help_ = str(schema.get("description") or "")
        error = errors.get(name, "")
        if node.kind == "object":
            widget = Widget("object", name, label, help_, required, error=error)
            needed = set(schema.get("required", []))
            value = value if isinstance(value, dict) else {}
            for prop, sub in _ordered(schema.get("properties", {})):
                if root and prop in self.skip:
                    continue
                widget.children.append(
                    self._widget(
                        self.node(sub),
                        f"{name}.{prop}",
                        key=prop,
                        value=value.get(prop),
                        raw=raw,
                        errors=errors,
                        required=prop in needed,
                    )
                )
            return widget
        if node.kind == "array":
            item = self.node(schema.get("items", {}))
            items = value if isinstance(value, list) else []
            widget = Widget(
                "list",
                name,
                label,
                help_,
                required,
                error=error,
                row_kind="object" if item.kind == "object" else "scalar",
            )
            for i, entry in enumerate(items):
                row = self._widget(
                    item, f"{name}.{i}", key=key, value=entry, raw=raw, errors=errors, required=True
                )
                row.label = f"{i + 1}"
                widget.rows.append(row)
            maximum = schema.get("maxItems")
            widget.can_add = maximum is None or len(items) < int(maximum)
            widget.can_remove = len(items) > int(schema.get("minItems", 0))
            return widget
        if node.kind == "boolean":
            checked = name in raw and raw[name] == "on" if name in raw else bool(value)
            return Widget("checkbox", name, label, help_, False, checked=checked, error=error)
        shown = raw.get(name, "" if value is None else str(value))
        widget = Widget("text", name, label, help_, required and not node.optional, shown)
        widget.error = error
        _typed(widget, node, edited=name in raw)
        return widget

    # ------------------------------------------------------------ form → data

    def parse(
        self, form: MultiDict[str, str]
    ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
        """(data, raw values kept for re-display, errors by field name)."""
        raw: dict[str, str] = {}
        errors: dict[str, str] = {}
        data = self._parse(self.node(self.schema), ROOT, form, raw, errors, root=True)
        return (data if isinstance(data, dict) else {}), raw, errors

    def _parse(
        self,
        node: Node,
        name: str,
        form: MultiDict[str, str],
        raw: dict[str, str],
        errors: dict[str, str],
        *,
        root: bool = False,
    ) -> Any:
        if node.kind == "object":
            out: dict[str, Any] = {}
            for prop, sub in node.schema.get("properties", {}).items():
                if root and prop in self.skip:
                    continue
                value = self._parse(self.node(sub), f"{name}.{prop}", form, raw, errors)
                if value is not None:
                    out[prop] = value
            return out
        if node.kind == "array":
            try:
                count = min(int(form.get(f"{name}#n", "0")), 2000)
            except ValueError:
                count = 0
            item = self.node(node.schema.get("items", {}))
            return [self._parse(item, f"{name}.{i}", form, raw, errors) for i in range(count)]
        if node.kind == "boolean":
            raw[name] = "on" if form.get(name) else ""
            return bool(form.get(name))
        text = form.get(name, "").replace("\r\n", "\n")
        raw[name] = text
        return _scalar(node, name, text, errors)


def _typed(widget: Widget, node: Node, *, edited: bool) -> None:
    """The input a scalar needs: a list, a date (dd/mm/yyyy), a number, long text."""
    schema = node.schema
    if "enum" in schema:
        widget.kind = "select"
        widget.options = [str(o) for o in schema["enum"]]
    elif node.kind == "string" and schema.get("format") == "date":
        widget.kind = "date"  # typed as dd/mm/yyyy, as Vietnamese offices write dates
        if not edited:
            widget.value = vn_date(widget.value)
    elif node.kind == "integer":
        widget.kind, widget.step = "number", "1"
    elif node.kind in ("number", "decimal"):
        widget.kind = "decimal"
    elif node.kind == "string":
        widget.max_length = schema.get("maxLength")
        if (widget.max_length or 0) > LONG_TEXT or "\n" in widget.value:
            widget.kind = "textarea"


_VN_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def vn_date(value: Any) -> str:
    """'2024-03-05' (or a date) → '05/03/2024'; anything else unchanged."""
    text = value.isoformat() if isinstance(value, date) else str(value or "")
    try:
        return date.fromisoformat(text[:10]).strftime("%d/%m/%Y") if len(text) >= 10 else text
    except ValueError:
        return text


def iso_date(text: str) -> str | None:
    """'5/3/2024' or '05/03/2024' (also ISO) → '2024-03-05'; None when it is no date."""
    match = _VN_DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day).isoformat()
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        return None


def _scalar(node: Node, name: str, text: str, errors: dict[str, str]) -> Any:
    """One input's text as the schema's type (None: left empty or not a number)."""
    if node.kind != "string" or "enum" in node.schema:
        text = text.strip()
    if text.strip() == "":
        return None if node.optional or node.kind != "string" else ""
    converters: dict[str, tuple[Any, str]] = {
        "integer": (int, "Phải là số nguyên."),
        "number": (lambda t: float(t.replace(",", ".")), "Phải là số."),
    }
    if node.kind == "string" and node.schema.get("format") == "date":
        iso = iso_date(text)
        if iso is None:
            errors[name] = "Ngày phải có dạng ngày/tháng/năm, ví dụ 05/03/2024."
        return iso
    if node.kind not in converters:
        return text
    convert, message = converters[node.kind]
    try:
        return convert(text)
    except ValueError:
        errors[name] = message
        return None


def apply_op(data: dict[str, Any], op: str) -> dict[str, Any]:
    """``add:<path>`` appends an empty row to a list, ``del:<path>:<i>`` removes one."""
    action, _, rest = op.partition(":")
    if action == "add":
        path, index = rest, None
    elif action == "del":
        path, _, position = rest.rpartition(":")
        index = int(position) if position.isdigit() else -1
    else:
        return data
    target = _find(data, path)
    if not isinstance(target, list):
        return data
    if index is None:
        target.append({} if target and isinstance(target[0], dict) else None)
    elif 0 <= index < len(target):
        del target[index]
    return data


def _find(data: Any, path: str) -> Any:
    parts = path.split(".")
    if not parts or parts[0] != ROOT:
        return None
    current = data
    for part in parts[1:]:
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def shift_raw(raw: dict[str, str], op: str) -> dict[str, str]:
    """After removing a row, raw values of later rows move up one (or are dropped)."""
    action, _, rest = op.partition(":")
    if action != "del":
        return raw
    path, _, position = rest.rpartition(":")
    if not position.isdigit():
        return raw
    removed, prefix = int(position), path + "."
    out: dict[str, str] = {}
    for name, value in raw.items():
        if not name.startswith(prefix):
            out[name] = value
            continue
        head, dot, tail = name[len(prefix) :].partition(".")
        if not head.isdigit() or int(head) == removed:
            continue
        index = int(head) - 1 if int(head) > removed else int(head)
        out[f"{prefix}{index}{dot}{tail}"] = value
    return out
