"""Documents with a type name (ô 5a): kế hoạch, báo cáo, thông báo, tờ trình, quyết định, giấy mời.

Each example renders to DOCX and PDF; the PDF's text is read back in order
(type name, trích yếu, căn cứ, Điều headings, signer), the DOCX with
python-docx (sizes and styles of the title block and the decision parts).
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from pydantic import ValidationError

from services.docgen.catalogue import default_catalogue
from services.docgen.documents import models
from services.docgen.rendering import Renderer, build_context
from tests.conftest import REPO
from tests.unit.docgen.test_rendering import (
    assert_in_order,
    find,
    flat,
    paragraphs,
    pdf_text,
    run_style,
)

NAMED = ("ke-hoach", "bao-cao", "thong-bao", "to-trinh")
TEMPLATES = (*NAMED, "quyet-dinh", "giay-moi")

def example(template_id: str) -> dict[str, Any]:
    path = REPO / default_catalogue().get(template_id).example
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    return Renderer(font_cache_dir=tmp_path_factory.mktemp("fonts"))


@pytest.fixture(scope="module")
def docx_files(renderer: Renderer) -> dict[str, bytes]:
    return {t: renderer.render(t, example(t), "docx") for t in TEMPLATES}


@pytest.fixture(scope="module")
def pdf_files(renderer: Renderer) -> dict[str, bytes]:
    return {t: renderer.render(t, example(t), "pdf") for t in TEMPLATES}


def expected_sequence(template_id: str) -> list[str]:
    """What the document prints, in the order it prints it."""
    data = example(template_id)
    template = default_catalogue().get(template_id)
    assert template.type_name
    sequence = [template.type_name, *data["subject"].split("\n")]
    sequence += data.get("recipients", [])
    if template_id in NAMED:
        for section in data["sections"]:
            if section.get("heading"):
                sequence.append(section["heading"])
            sequence += section["paragraphs"]
    elif template_id == "quyet-dinh":
        sequence.append(data["competence"])
        sequence += [f"{line}{';' if i < len(data['bases']) - 1 else '.'}"
                     for i, line in enumerate(data["bases"])]  # fmt: skip
        sequence.append("QUYẾT ĐỊNH:")
        for number, article in enumerate(data["articles"], start=1):
            sequence.append(f"Điều {number}." + (f" {article['title']}" if "title" in article
                                                  else ""))  # fmt: skip
            sequence += article["paragraphs"]
    else:
        sequence += ["Trân trọng kính mời:", *data["invitees"]]
        sequence += ["Thời gian:", data["starts_at"], "Địa điểm:", data["venue"]]
        sequence += data["paragraphs"]
    sequence += ["Nơi nhận:", *data["distribution"]["recipients"], "Lưu: VT"]
    sequence += [*data["signer"]["authority"], data["signer"]["title"], data["signer"]["name"]]
    return sequence


# ---------------------------------------------------------------- catalogue and validation


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_catalogue_entry_and_example(template_id: str) -> None:
    template = default_catalogue().get(template_id)
    document = template.model.model_validate(example(template_id))
    version = template.version_on(document.issued_on)  # type: ignore[attr-defined]
    assert version.files == f"nd30-2020/{template_id}"
    assert version.legal_basis.startswith("Nghị định 30/2020/NĐ-CP, Phụ lục III Mẫu 1.")
    assert template.kind == "named"
    assert document.notation.split("-")[0] == template.abbreviation  # type: ignore[attr-defined]


@pytest.mark.parametrize(("template_id", "wrong"), [("ke-hoach", "BC-UBND"),
                                                     ("to-trinh", "TTR-UBND"),
                                                     ("quyet-dinh", "UBND-VP")])  # fmt: skip
def test_notation_must_start_with_the_type_abbreviation(
    renderer: Renderer, template_id: str, wrong: str
) -> None:
    data = example(template_id) | {"notation": wrong}
    with pytest.raises(ValidationError) as caught:
        renderer.render(template_id, data, "docx")
    error = caught.value.errors()[0]
    assert error["loc"] == ("notation",)
    abbreviation = default_catalogue().get(template_id).abbreviation
    assert f"phải bắt đầu bằng '{abbreviation}-'" in error["msg"]


def test_quyet_dinh_context() -> None:
    document = models.QuyetDinh.model_validate(example("quyet-dinh"))
    context = build_context(document, type_name="Quyết định")
    assert context["title"]["type_name"] == "QUYẾT ĐỊNH"
    assert context["header"]["subject"] == []  # no "V/v" line under the number
    assert context["bases"][0].endswith(";")
    assert context["bases"][-1].endswith(".")
    assert all(line.endswith(";") for line in context["bases"][:-1])
    first, second = context["articles"][:2]
    assert first["heading"] == "Điều 1."
    assert first["lead"].startswith(" Phê duyệt")
    assert second == {
        "heading": "Điều 2. Tổ chức thực hiện",
        "lead": "",
        "paragraphs": example("quyet-dinh")["articles"][1]["paragraphs"],
    }
    # The rule under the trích yếu: 1/3–1/2 of its longest line, centred on the page.
    assert 40 < context["title"]["rule"]["width_mm"] < 70


def test_giay_moi_context_one_and_several_invitees() -> None:
    data = example("giay-moi")
    several = build_context(models.GiayMoi.model_validate(data), type_name="GIẤY MỜI")
    assert several["invitation"][0] == "Trân trọng kính mời:"
    assert several["invitation"][1].startswith("- ")
    assert several["invitation"][-1].endswith(".")
    one = build_context(
        models.GiayMoi.model_validate(data | {"invitees": ["Ông Nguyễn Văn An;"]}),
        type_name="GIẤY MỜI",
    )
    assert one["invitation"] == ["Trân trọng kính mời: Ông Nguyễn Văn An."]


def test_named_document_without_recipients_has_no_kinh_gui(renderer: Renderer) -> None:
    data = copy.deepcopy(example("to-trinh"))
    data["recipients"] = []
    document = docx.Document(io.BytesIO(renderer.render("to-trinh", data, "docx")))
    assert "Kính gửi" not in " ".join(p.text for p in document.paragraphs)
    assert renderer.render("to-trinh", data, "pdf")


# ---------------------------------------------------------------- DOCX


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_docx_title_block(docx_files: dict[str, bytes], template_id: str) -> None:
    document = docx.Document(io.BytesIO(docx_files[template_id]))
    template = default_catalogue().get(template_id)
    data = example(template_id)
    type_name = find(document, template.type_name or "")
    assert type_name.text == template.type_name
    assert run_style(type_name) == (14, True, False)
    assert type_name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    subject = find(document, data["subject"].split("\n")[0])
    assert run_style(subject) == (14, True, False)
    assert subject.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # Right under it, a short centred rule (a top border on an indented paragraph).
    following = subject._p.getnext()
    assert following.pPr.find(qn("w:pBdr")) is not None
    # The "V/v" line of a công văn is not printed.
    assert not any(p.text.startswith("V/v") for t in document.tables for c in t._cells
                   for p in c.paragraphs)  # fmt: skip
    assert document.core_properties.title.startswith(template.type_name or "")
    everything = flat(" ".join(p.text for p in paragraphs(document)))
    assert_in_order(everything, expected_sequence(template_id))


def test_docx_decision_parts(docx_files: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(docx_files["quyet-dinh"]))
    data = example("quyet-dinh")
    competence = find(document, data["competence"])
    assert run_style(competence) == (14, True, False)
    assert competence.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for line in data["bases"]:
        basis = find(document, line[:50])
        assert run_style(basis) == (14, False, True)
        assert basis.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    decides = find(document, "QUYẾT ĐỊNH:")
    assert decides.text == "QUYẾT ĐỊNH:"
    assert run_style(decides) == (14, True, False)
    assert decides.alignment == WD_ALIGN_PARAGRAPH.CENTER
    first = find(document, "Điều 1.")
    bold = [run.text for run in first.runs if run.bold]
    assert bold == ["Điều 1."]
    assert first.text.startswith("Điều 1. Phê duyệt")
    second = find(document, "Điều 2.")
    assert run_style(second) == (14, True, False)
    assert second.text == "Điều 2. Tổ chức thực hiện"


def test_docx_invitation_details(docx_files: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(docx_files["giay-moi"]))
    when = find(document, "Thời gian:")
    assert [run.text for run in when.runs if run.bold] == ["Thời gian:"]
    assert when.text.endswith(example("giay-moi")["starts_at"] + ".")
    assert find(document, "Địa điểm:").alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


def test_docx_templates_are_what_the_builder_makes() -> None:
    import importlib.util

    path = REPO / "services/docgen/templates/build_docx.py"
    spec = importlib.util.spec_from_file_location("build_docx_named", path)
    assert spec is not None
    assert spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    for template_id in TEMPLATES:
        committed = path.parent / "nd30-2020" / template_id / "document.docx"
        assert builder.build(template_id) == committed.read_bytes(), f"{committed} is stale"


# ---------------------------------------------------------------- PDF


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_pdf_text_in_order(pdf_files: dict[str, bytes], template_id: str, tmp_path: Path) -> None:
    pdf = pdf_files[template_id]
    assert_in_order(flat(pdf_text(pdf, mode="-raw")), expected_sequence(template_id))
    first_page = pdf_text(pdf, "-f", "1", "-l", "1")
    assert "Địa chỉ:" in first_page  # ô 13, page 1 only
    assert "Số: " in first_page
    # A look at page 1, as a person would see it (kept in tmp_path).
    (tmp_path / "document.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "document.pdf"),
         str(tmp_path / template_id)],
        check=True,
    )  # fmt: skip
    assert (tmp_path / f"{template_id}-1.png").read_bytes()[1:4] == b"PNG"
