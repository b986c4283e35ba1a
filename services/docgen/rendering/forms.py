"""Contexts of the forms in ``documents.forms``: figures formatted, totals in words.

The models have already checked the arithmetic; here each figure is written the
Vietnamese way (``format_amount``: "1.234.567") and each total is read out with
``amount_in_words``. Both engines print these strings as they are.
"""

from __future__ import annotations

import re
from decimal import Decimal

from services.docgen.documents import forms
from services.docgen.rendering import layout
from services.docgen.rendering.context import (
    DRAFT_MARK,
    KINH_GUI,
    MOTTO,
    NATIONAL_NAME,
    Context,
    builds,
    footer,
    kinh_gui,
    noi_nhan,
    one_line,
    paragraphs,
    rule,
    signer,
    text_lines,
)
from services.docgen.rendering.fonts import text_width_mm
from shared.vn import amount_in_words, format_amount, format_date, place_date_line, upper

SIZE_TITLE = 14
# Column widths (mm), shared by the DOCX builder and the HTML templates.
# Biên bản bàn giao: STT, tên, đơn vị tính, số lượng, đơn giá, thành tiền, ghi chú (165 mm).
HANDOVER_COLUMNS = (11.0, 45.0, 15.0, 19.0, 24.0, 30.0, 21.0)

# A4 landscape with the portrait margins: 297 − 30 − 15 = 252 mm of text.
LANDSCAPE_TEXT_WIDTH = layout.PAGE_HEIGHT - layout.MARGIN_LEFT - layout.MARGIN_RIGHT
# Monthly report: STT, dự án, địa điểm, QĐ đầu tư, TMĐT, kế hoạch năm, lũy kế đến tháng
# trước, giải ngân tháng (số tiền, %), lũy kế từ đầu năm (số tiền, %), ghi chú.
REPORT_COLUMNS = (8.0, 37.0, 18.0, 23.0, 25.0, 25.0, 25.0, 23.0, 12.0, 25.0, 12.0, 19.0)
# Closing of a landscape page: Nơi nhận left, the signature under the right-hand 93 mm.
WIDE_CLOSING = (LANDSCAPE_TEXT_WIDTH - layout.CLOSING_RIGHT, layout.CLOSING_RIGHT)
TITLE_RULE_RATIO = 0.4


def figure(value: Decimal) -> str:
    """A quantity or amount as printed: '1.234.567', '2,5'; trailing decimal zeros dropped."""
    if value == value.to_integral_value():
        return format_amount(value.quantize(Decimal(1)))
    return format_amount(value.normalize())


def form_header(doc: forms.FormBase) -> Context:
    """The two header columns of a form: body and number left, Quốc hiệu right."""
    issuer = [upper(line) for line in text_lines(doc.issuer.name)] or [""]
    widest = max(text_width_mm(line, layout.SIZE_ISSUER, "bold") for line in issuer)
    motto = text_width_mm(MOTTO, layout.SIZE_MOTTO, "bold")
    return {
        "parent": upper(one_line(doc.issuer.parent)) if doc.issuer.parent else None,
        "issuer": issuer,
        "issuer_rule": rule(widest, layout.HEADER_LEFT, layout.ISSUER_RULE_RATIO),
        "national": NATIONAL_NAME,
        "motto": MOTTO,
        "motto_rule": rule(motto, layout.HEADER_RIGHT),
        "number_line": doc.number_line,
    }


def title(type_name: str, subject: str, column: float = layout.TEXT_WIDTH) -> Context:
    """Ô 5a: the type name and the trích yếu under it, a short rule below."""
    lines = text_lines(subject) or [""]
    widest = max(text_width_mm(line, SIZE_TITLE, "bold") for line in lines)
    return {
        "type_name": type_name,
        "subject": lines,
        "rule": rule(widest, column, TITLE_RULE_RATIO),
    }


def form_common(doc: forms.FormBase, type_name: str, subject: str) -> Context:
    head = form_header(doc)
    return {
        "draft": doc.draft,
        "draft_mark": DRAFT_MARK,
        "header": head,
        "title": title(type_name, subject),
        "footer": footer(doc.issuer),
        "meta": {
            "author": " ".join(head["issuer"]),
            "issued_on": doc.issued_on.isoformat(),
            "number": head["number_line"],
            "language": "vi-VN",
            "title": f"{type_name} {one_line(subject)}".strip(),
        },
    }


def listed(lines: list[str]) -> list[str]:
    """Căn cứ lines: ';' after each, '.' after the last (the data carries none)."""
    cleaned = [one_line(line).rstrip(" ;.,") for line in lines]
    return [f"{text}{'.' if i == len(cleaned) - 1 else ';'}" for i, text in enumerate(cleaned)]


# ---------------------------------------------------------------- biên bản bàn giao


def party(number: int, role: str, side: forms.Party) -> Context:
    return {
        "heading": f"{number}. {role}: {one_line(side.name)}",
        "lines": [
            f"Ông (bà): {one_line(side.representative)} - Chức vụ: {one_line(side.position)}",
            *(one_line(line) for line in side.details),
        ],
    }


def signature(label: str, side: forms.Party) -> Context:
    return {
        "label": label,
        "caption": one_line(side.signature_caption),
        "name": one_line(side.representative),
    }


@builds(forms.BienBanBanGiao)
def bien_ban_ban_giao(doc: forms.BienBanBanGiao) -> Context:
    context = form_common(doc, "BIÊN BẢN", doc.subject)
    sides = [
        party(1, "Bên giao (Bên A)", doc.giver),
        party(2, "Bên nhận (Bên B)", doc.receiver),
        *(party(n, "Bên chứng kiến", w) for n, w in enumerate(doc.witnesses, start=3)),
    ]
    total = doc.computed_total
    context.update(
        {
            "bases": listed(doc.bases),
            "opening": (
                f"Hôm nay, vào lúc {one_line(doc.time)}, {format_date(doc.issued_on)}, "
                f"tại {one_line(doc.place).rstrip(' .,')}, chúng tôi gồm:"
            ),
            "parties": sides,
            "columns": HANDOVER_COLUMNS,
            "items_intro": "Bên A bàn giao cho Bên B như sau:",
            "items": [
                {
                    "stt": str(number),
                    "name": one_line(row.name),
                    "unit": one_line(row.unit),
                    "quantity": figure(row.quantity),
                    "unit_price": figure(row.unit_price),
                    "amount": figure(row.computed_amount),
                    "note": one_line(row.note) if row.note else "",
                }
                for number, row in enumerate(doc.items, start=1)
            ],
            "total": figure(total),
            "total_words": f"Bằng chữ: {amount_in_words(total.quantize(Decimal(1)))}.",
            "condition": paragraphs(doc.condition),
            "commitments": paragraphs(doc.commitments),
            "closing": paragraphs(doc.closing),
            "giver_signature": signature("ĐẠI DIỆN BÊN GIAO", doc.giver),
            "receiver_signature": signature("ĐẠI DIỆN BÊN NHẬN", doc.receiver),
            "witness_signatures": [
                signature(f"ĐẠI DIỆN {upper(one_line(w.name))}", w) for w in doc.witnesses
            ],
        }
    )
    return context


# ---------------------------------------------------------------- báo cáo giải ngân tháng


def percent(value: Decimal | None) -> str:
    """'45,67'; an em dash when there is no plan to measure by (not '0')."""
    return "—" if value is None else format_amount(value, places=2)


def money(value: Decimal | None) -> str:
    return "" if value is None else figure(value)


@builds(forms.BaoCaoGiaiNgan)
def bao_cao_giai_ngan(doc: forms.BaoCaoGiaiNgan) -> Context:
    context = form_common(doc, "BÁO CÁO", doc.subject)
    context["header"]["place_date"] = place_date_line(one_line(doc.issuer.place), doc.issued_on)
    if doc.number is None:
        context["header"]["place_date"] = re.sub(
            r"ngày \d{2} tháng",
            "ngày" + " " * 6 + "tháng",
            context["header"]["place_date"],
            count=1,
        )
    rows = []
    for number, row in enumerate(doc.projects, start=1):
        cumulative = row.computed_cumulative
        rows.append(
            {
                "stt": str(number),
                "name": one_line(row.name),
                "location": one_line(row.location) if row.location else "",
                "decision": one_line(row.decision) if row.decision else "",
                "total_investment": money(row.total_investment),
                "plan": figure(row.plan),
                "previous": figure(row.previous),
                "this_month": figure(row.this_month),
                "month_rate": percent(forms.rate(row.this_month, row.plan)),
                "cumulative": figure(cumulative),
                "cumulative_rate": percent(forms.rate(cumulative, row.plan)),
                "note": one_line(row.note) if row.note else "",
            }
        )
    plan = doc.column_total("plan")
    this_month = doc.column_total("this_month")
    cumulative = doc.column_total("cumulative")
    totals = {
        "stt": "",
        "name": "Tổng cộng",
        "location": "",
        "decision": "",
        "total_investment": figure(doc.column_total("total_investment")),
        "plan": figure(plan),
        "previous": figure(doc.column_total("previous")),
        "this_month": figure(this_month),
        "month_rate": percent(forms.rate(this_month, plan)),
        "cumulative": figure(cumulative),
        "cumulative_rate": percent(forms.rate(cumulative, plan)),
        "note": "",
    }
    whole_rate = forms.rate(cumulative, plan)
    reached = f", đạt {percent(whole_rate)}% kế hoạch" if whole_rate is not None else ""
    summary = [
        f"Tổng kế hoạch vốn năm {doc.year} của {len(rows)} dự án: {figure(plan)} đồng.",
        f"Giải ngân trong tháng {doc.month}: {figure(this_month)} đồng"
        f" ({amount_in_words(this_month)}).",
        f"Lũy kế giải ngân từ đầu năm đến hết tháng {doc.month}: {figure(cumulative)} đồng"
        f" ({amount_in_words(cumulative)}){reached}.",
    ]
    context.update(
        {
            "kinh_gui": kinh_gui(doc.recipients) if doc.recipients else None,
            "kinh_gui_label": KINH_GUI,
            "paragraphs": paragraphs(doc.paragraphs),
            "summary": summary,
            "table_title": upper(
                f"Tình hình thực hiện và giải ngân vốn đầu tư công tháng {doc.month} năm {doc.year}"
            ),
            "unit": "Đơn vị tính: đồng",
            "columns": REPORT_COLUMNS,
            "closing_columns": WIDE_CLOSING,
            "rows": rows,
            "totals": totals,
            "closing": paragraphs(doc.closing),
            "noi_nhan": noi_nhan(doc.distribution),
            "signer": signer(doc.signer),
        }
    )
    return context


# ---------------------------------------------------------------- NĐ 99/2021, TT 96/2021

# Mẫu 03.a/TT on A4 landscape (252 mm): STT, tên công việc, đơn vị tính, khối lượng
# (4)–(7), đơn giá (8), thành tiền (9)–(12), ghi chú (13).
WORK_COLUMNS = (9.0, 42.0, 12.0, 15.0, 15.0, 15.0, 15.0, 20.0, 23.0, 23.0, 23.0, 23.0, 17.0)
# Mẫu 04.a/TT, portrait (165 mm): nội dung, dự toán, lũy kế (trong nước, ngoài nước),
# đề nghị kỳ này (trong nước, ngoài nước).
PAYMENT_COLUMNS = (40.0, 25.0, 25.0, 25.0, 25.0, 25.0)
# Mẫu 03/QTDA on A4 landscape (252 mm): STT, nội dung, (3)–(6), (7)–(10), (11), ghi chú.
RECONCILIATION_COLUMNS = (10.0, 40.0, *(21.0,) * 8, 20.0, 14.0)
# Two signature blocks side by side on a landscape page.
WIDE_SIGNATURES = (LANDSCAPE_TEXT_WIDTH / 2, LANDSCAPE_TEXT_WIDTH / 2)


def words(amount: Decimal) -> str:
    return amount_in_words(amount.quantize(Decimal(1)))


def payment_common(doc: forms.PaymentFormBase, title_text: str, column: float) -> Context:
    lines = text_lines(title_text)
    widest = max(text_width_mm(line, SIZE_TITLE, "bold") for line in lines)
    return {
        "draft": doc.draft,
        "draft_mark": DRAFT_MARK,
        "form_code": one_line(doc.form_code),
        "title": {"lines": lines, "rule": rule(widest, column, TITLE_RULE_RATIO)},
        "unit": one_line(doc.unit_label),
        "place_date": place_date_line(one_line(doc.place), doc.issued_on),
        "footer": [],
        "meta": {
            "author": "",
            "issued_on": doc.issued_on.isoformat(),
            "number": one_line(doc.form_code),
            "language": "vi-VN",
            "title": " ".join(lines),
        },
    }


def labelled(pairs: list[tuple[str, str | None]]) -> list[Context]:
    """Header lines 'Label: value'; the optional ones left out when empty."""
    return [{"label": label, "value": one_line(value)} for label, value in pairs if value]


@builds(forms.BangXacDinhKhoiLuong)
def bang_xac_dinh_khoi_luong(doc: forms.BangXacDinhKhoiLuong) -> Context:
    context = payment_common(
        doc, "BẢNG XÁC ĐỊNH GIÁ TRỊ KHỐI LƯỢNG CÔNG VIỆC HOÀN THÀNH", LANDSCAPE_TEXT_WIDTH
    )
    context["meta"]["author"] = one_line(doc.owner)
    project = one_line(doc.project_name)
    if doc.project_code:
        project += f"; Mã dự án: {one_line(doc.project_code)}"
    contract_line = None
    if doc.contract:
        contract_line = one_line(doc.contract)
        if doc.contract_appendix:
            contract_line += f"; Phụ lục bổ sung hợp đồng số: {one_line(doc.contract_appendix)}"
    head = labelled(
        [
            ("Tên dự án", project),
            ("Tên gói thầu", doc.package),
            ("Căn cứ hợp đồng số", contract_line),
            (
                "Căn cứ Quyết định phê duyệt dự toán số (trong trường hợp thực hiện không "
                "thông qua hợp đồng)",
                doc.estimate_decision,
            ),
            ("Chủ đầu tư", doc.owner),
            (
                "Nhà thầu" if doc.contract else "Đơn vị thực hiện",
                doc.contractor,
            ),
            ("Thanh toán lần thứ", str(doc.payment_round)),
            ("Căn cứ xác định", doc.acceptance),
        ]
    )
    rows = [
        {
            "stt": one_line(row.stt) if row.stt else str(number),
            "name": one_line(row.name),
            "unit": one_line(row.unit),
            "c4": figure(row.qty_contract),
            "c5": figure(row.qty_previous),
            "c6": figure(row.qty_this),
            "c7": figure(row.col7),
            "c8": figure(row.unit_price),
            "c9": figure(row.col9),
            "c10": figure(row.col10),
            "c11": figure(row.col11),
            "c12": figure(row.col12),
            "note": one_line(row.note) if row.note else "",
        }
        for number, row in enumerate(doc.items, start=1)
    ]
    blank = dict.fromkeys(("stt", "unit", "c4", "c5", "c6", "c7", "c8", "note"), "")
    totals = {
        **blank,
        "name": one_line(doc.total_label),
        **{c: figure(doc.column_total(f"col{c[1:]}")) for c in ("c9", "c10", "c11", "c12")},
    }
    requested, disbursed = doc.requested, doc.disbursed
    summary = [
        "1. Giá trị hợp đồng (giá trị dự toán được duyệt trong trường hợp thực hiện không "
        f"thông qua hợp đồng): {figure(doc.contract_value)} đồng",
        "2. Giá trị tạm ứng còn lại chưa thu hồi đến cuối kỳ trước: "
        f"{figure(doc.advance_outstanding)} đồng",
        "3. Số tiền đã thanh toán khối lượng hoàn thành đến cuối kỳ trước: "
        f"{figure(doc.paid_previous)} đồng",
        "4. Lũy kế giá trị khối lượng thực hiện đến cuối kỳ này: "
        f"{figure(doc.column_total('col12'))} đồng",
        f"5. Thanh toán để thu hồi tạm ứng: {figure(doc.advance_recovery)} đồng",
        f"6. Giá trị đề nghị giải ngân kỳ này: {figure(requested.computed_total)} đồng",
    ]
    context.update(
        {
            "head": head,
            "columns": WORK_COLUMNS,
            "rows": rows,
            "totals": totals,
            "summary": summary,
            "requested_words": f"Số tiền bằng chữ: {words(requested.computed_total)}.",
            "requested_parts": (
                f"Trong đó: tạm ứng {figure(requested.advance)} đồng; thanh toán khối lượng "
                f"hoàn thành {figure(requested.completed)} đồng."
            ),
            "disbursed": (f"7. Lũy kế giá trị giải ngân: {figure(disbursed.computed_total)} đồng"),
            "disbursed_parts": (
                f"Trong đó: tạm ứng {figure(disbursed.advance)} đồng; thanh toán khối lượng "
                f"hoàn thành {figure(disbursed.completed)} đồng."
            ),
            "signature_columns": WIDE_SIGNATURES,
            "signatures": [
                {
                    "label": one_line(
                        doc.contractor_label
                        or ("ĐẠI DIỆN NHÀ THẦU" if doc.contract else "ĐẠI DIỆN ĐƠN VỊ THỰC HIỆN")
                    ),
                    "caption": one_line(doc.signature_caption),
                    "name": one_line(doc.contractor_signer) if doc.contractor_signer else "",
                },
                {
                    "label": one_line(doc.owner_label),
                    "caption": one_line(doc.signature_caption),
                    "name": one_line(doc.owner_signer) if doc.owner_signer else "",
                },
            ],
        }
    )
    return context


@builds(forms.GiayDeNghiThanhToan)
def giay_de_nghi_thanh_toan(doc: forms.GiayDeNghiThanhToan) -> Context:
    context = payment_common(doc, "GIẤY ĐỀ NGHỊ THANH TOÁN VỐN", layout.TEXT_WIDTH)
    owner = one_line(doc.owner)
    context["meta"]["author"] = owner
    number = f"Số: {doc.number:02d}" if doc.number is not None else "Số:"
    motto = text_width_mm(MOTTO, layout.SIZE_MOTTO, "bold")
    context["header"] = {
        "owner": f"{one_line(doc.owner_label)}: {owner}",
        "number_line": number,
        "national": NATIONAL_NAME,
        "motto": MOTTO,
        "motto_rule": rule(motto, layout.HEADER_RIGHT),
        "place_date": context["place_date"],
    }
    project = one_line(doc.project_name)
    if doc.project_code:
        project += f"; Mã dự án: {one_line(doc.project_code)}"
    owner_line = owner
    if doc.budget_unit_code:
        owner_line += f"; mã số ĐVQHNS: {one_line(doc.budget_unit_code)}"
    accounts = [
        f"Vốn trong nước: {one_line(doc.account_domestic)}" if doc.account_domestic else "",
        f"Vốn ngoài nước: {one_line(doc.account_foreign)}" if doc.account_foreign else "",
    ]
    head = labelled(
        [
            ("Tên dự án", project),
            (one_line(doc.owner_label), owner_line),
            ("Số tài khoản", "; ".join(a for a in accounts if a) or None),
        ]
    )
    bases = [f"{one_line(b).rstrip(' ;.')};" for b in doc.bases]
    if doc.accepted_value is not None:
        bases.append(
            "Lũy kế giá trị khối lượng nghiệm thu của hạng mục đề nghị thanh toán: "
            f"{figure(doc.accepted_value)} đồng;"
        )
    if doc.advance_balance is not None:
        bases.append(
            f"Số dư tạm ứng của hạng mục đề nghị thanh toán: {figure(doc.advance_balance)} đồng;"
        )
    funding = (
        f"Thuộc nguồn vốn: {one_line(doc.fund_source)}; Thuộc kế hoạch: "
        f"{one_line(doc.plan)}; Năm: {doc.year}"
    )
    rows = [
        {
            "content": one_line(line.content),
            "budget": figure(line.budget),
            "paid_domestic": figure(line.paid_domestic),
            "paid_foreign": figure(line.paid_foreign),
            "request_domestic": figure(line.request_domestic),
            "request_foreign": figure(line.request_foreign),
        }
        for line in doc.lines
    ]

    def total(field: str) -> str:
        return figure(sum((getattr(line, field) for line in doc.lines), Decimal(0)))

    totals = {
        "content": "Tổng số",
        **{
            f: total(f)
            for f in (
                "budget",
                "paid_domestic",
                "paid_foreign",
                "request_domestic",
                "request_foreign",
            )
        },
    }
    amount = doc.computed_total
    parts = [
        f"- Thanh toán để thu hồi tạm ứng: vốn trong nước {figure(doc.recovery_domestic)} đồng; "
        f"vốn ngoài nước {figure(doc.recovery_foreign)} đồng",
        f"- Thuế giá trị gia tăng: {figure(doc.vat)} đồng",
        f"- Chuyển tiền bảo hành: {figure(doc.warranty)} đồng",
        "- Số trả đơn vị thụ hưởng: vốn trong nước "
        f"{figure(doc.computed_payee_domestic)} đồng; vốn ngoài nước "
        f"{figure(doc.computed_payee_foreign)} đồng",
    ]
    signatures = []
    if doc.accountant_label:
        signatures.append(
            {
                "label": one_line(doc.accountant_label),
                "caption": "(Ký, ghi rõ họ tên)",
                "name": one_line(doc.accountant) if doc.accountant else "",
            }
        )
    signatures.append(
        {
            "label": one_line(doc.signer_label),
            "caption": one_line(doc.signer_caption),
            "name": one_line(doc.signer) if doc.signer else "",
        }
    )
    context.update(
        {
            "recipient": f"Kính gửi: {one_line(doc.recipient)}",
            "head": head,
            "bases": bases,
            "funding": funding,
            "columns": PAYMENT_COLUMNS,
            "rows": rows,
            "totals": totals,
            "amount": f"Tổng số tiền đề nghị tạm ứng, thanh toán bằng số: {figure(amount)} đồng",
            "amount_words": f"Bằng chữ: {words(amount)}.",
            "parts": ["Trong đó:", *parts],
            "payee": [
                f"Tên đơn vị thụ hưởng: {one_line(doc.payee)}",
                f"Số tài khoản đơn vị thụ hưởng: {one_line(doc.payee_account)} "
                f"tại {one_line(doc.payee_bank)}",
            ],
            # one block on the right, or kế toán trưởng left and the leader right
            "signatures": (
                [dict.fromkeys(("label", "caption", "name"), ""), *signatures]
                if len(signatures) == 1
                else signatures
            ),
        }
    )
    return context


def reconciliation_row(stt: str, name: str, rows: list[forms.ReconciliationRow]) -> Context:
    def total(column: str) -> Decimal:
        return sum((getattr(row, column) for row in rows), Decimal(0))

    return {
        "stt": stt,
        "name": name,
        "c3": figure(total("owner_plan")),
        "c4": figure(total("col4")),
        "c5": figure(total("owner_completed")),
        "c6": figure(total("owner_advance")),
        "c7": figure(total("control_plan")),
        "c8": figure(total("col8")),
        "c9": figure(total("control_completed")),
        "c10": figure(total("control_advance")),
        "c11": format_amount(total("col11")),
        "note": one_line(rows[0].note) if len(rows) == 1 and rows[0].note else "",
    }


@builds(forms.BangDoiChieuSoLieu)
def bang_doi_chieu_so_lieu(doc: forms.BangDoiChieuSoLieu) -> Context:
    context = payment_common(doc, "BẢNG ĐỐI CHIẾU SỐ LIỆU", LANDSCAPE_TEXT_WIDTH)
    owner = one_line(doc.owner)
    context["meta"]["author"] = owner
    motto = text_width_mm(MOTTO, layout.SIZE_MOTTO, "bold")
    issuer = upper(owner)
    context["header"] = {
        "owner_label": "CHỦ ĐẦU TƯ",
        "owner": issuer,
        "issuer_rule": rule(
            text_width_mm(issuer, layout.SIZE_ISSUER, "bold"),
            layout.HEADER_LEFT,
            layout.ISSUER_RULE_RATIO,
        ),
        "national": NATIONAL_NAME,
        "motto": MOTTO,
        "motto_rule": rule(motto, layout.HEADER_RIGHT),
    }
    head = labelled(
        [
            ("Tên dự án", doc.project_name),
            ("Mã dự án", doc.project_code),
            (
                "Tên công trình, hạng mục công trình độc lập (trường hợp quyết toán công "
                "trình, hạng mục công trình độc lập)",
                doc.works,
            ),
            ("Chủ đầu tư", doc.owner),
            ("Cơ quan kiểm soát, thanh toán", doc.control_body),
        ]
    )

    def detail(rows: list[forms.ReconciliationRow]) -> list[Context]:
        return [
            {**reconciliation_row("", f"- {one_line(row.source)}", [row]), "detail": True}
            for row in rows
        ]

    table = [
        reconciliation_row("1", "Lũy kế từ khởi công", doc.cumulative),
        *detail(doc.cumulative),
    ]
    if doc.years:
        table.append(
            {
                **dict.fromkeys(
                    ("c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "note"), ""
                ),
                "stt": "2",
                "name": "Chi tiết theo năm",
            }
        )
        for number, block in enumerate(doc.years, start=1):
            table.append(reconciliation_row(f"2.{number}", f"Năm {block.year}", block.rows))
            table.extend(detail(block.rows))
    for row in table:
        row.setdefault("detail", False)
    context.update(
        {
            "head": head,
            "section_one": "I. Tình hình giải ngân:",
            "section_two": "II. Nhận xét, giải thích nguyên nhân chênh lệch:",
            "columns": RECONCILIATION_COLUMNS,
            "rows": table,
            "remarks": paragraphs(doc.remarks),
            "signature_columns": WIDE_SIGNATURES,
            "signatures": [
                {
                    "label": one_line(doc.owner_label),
                    "caption": one_line(doc.signature_caption),
                    "name": one_line(doc.owner_signer) if doc.owner_signer else "",
                },
                {
                    "label": one_line(doc.control_label),
                    "caption": one_line(doc.signature_caption),
                    "name": one_line(doc.control_signer) if doc.control_signer else "",
                },
            ],
        }
    )
    return context
