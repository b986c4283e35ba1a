"""Rendering: one validated model → DOCX (docxtpl) and PDF (WeasyPrint), laid out per NĐ 30/2020.

The DOCX is read back with python-docx (sizes, styles, sections); the PDF with
poppler (pdftotext, pdffonts, pdfinfo). Page 1 of each PDF is also written as
a PNG into the test's tmp_path, to look at.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from pydantic import ValidationError

from services.docgen.catalogue import NoVersionInForce, UnknownTemplate, load_catalogue
from services.docgen.documents import models
from services.docgen.rendering import Renderer, build_context, layout
from services.docgen.rendering.assets import Asset, AssetResolver, RefusedURL, weasyprint_fetcher
from services.docgen.rendering.context import kinh_gui, noi_nhan, text_lines
from services.docgen.rendering.fonts import REPERTOIRE, reduced_fonts
from tests.conftest import REPO
from tests.unit.docgen.conftest import example

TEMPLATES = ("cong-van", "cong-van-don-doc")
TIMES = "Times New Roman"
INJECTION = (
    "A < B & C > D \"q\" 'a' {{ 7*7 }} {% for x in y %}{% endfor %} {#c#} "
    '<img src="http://127.0.0.1:1/x"> <img src="file:///etc/passwd"> '
    "\x07bell\x0cform\ttab"
)

# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def docx_files(renderer: Renderer) -> dict[str, bytes]:
    return {t: renderer.render(t, example(t), "docx") for t in TEMPLATES}


@pytest.fixture(scope="module")
def pdf_files(renderer: Renderer) -> dict[str, bytes]:
    return {t: renderer.render(t, example(t), "pdf") for t in TEMPLATES}


def paragraphs(document: Any) -> Iterator[Any]:
    """Every paragraph of a python-docx document, table cells included, in order."""

    def walk(container: Any) -> Iterator[Any]:
        for block in container.iter_inner_content():
            if isinstance(block, docx.table.Table):
                for row in block.rows:
                    for cell in row.cells:
                        yield from walk(cell)
            else:
                yield block

    yield from walk(document)


def find(document: Any, text: str) -> Any:
    for paragraph in paragraphs(document):
        if text in paragraph.text:
            return paragraph
    raise AssertionError(f"no paragraph with {text!r}")


def run_style(paragraph: Any) -> tuple[float, bool, bool]:
    """(size pt, bold, italic) of the paragraph's text runs, which must agree."""
    styles = {
        (run.font.size.pt, bool(run.bold), bool(run.italic))
        for run in paragraph.runs
        if run.text.strip()
    }
    assert len(styles) == 1, (paragraph.text, styles)
    return styles.pop()


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes, *args: str, mode: str = "-layout") -> str:
    """The text as laid out (``-layout``), or in the order it was written (``-raw``)."""
    result = subprocess.run(
        ["pdftotext", mode, *args, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(flat(needle), position)
        assert found >= 0, f"{needle!r} missing or out of order"
        position = found + 1


def expected_sequence(template_id: str) -> list[str]:
    data = example(template_id)
    sequence = [data["subject"], *data["recipients"], *data["paragraphs"]]
    if template_id == "cong-van-don-doc":
        sequence += [row["reporter"] for row in data["overdue"]]
        sequence += [data["deadline"], *data["closing"]]
    sequence += ["Nơi nhận:", *data["distribution"]["recipients"], "Lưu: VT"]
    sequence += [*data["signer"]["authority"], data["signer"]["title"], data["signer"]["name"]]
    return sequence


# ---------------------------------------------------------------- examples and API


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_example_validates_with_its_model(template_id: str) -> None:
    template = load_catalogue().get(template_id)
    document = template.model.model_validate(example(template_id))
    assert template.version_on(document.issued_on).files == f"nd30-2020/{template_id}"


def test_bad_field_surfaces_as_validation_error(renderer: Renderer) -> None:
    data = example("cong-van") | {"notation": "UBND VP"}
    with pytest.raises(ValidationError) as caught:
        renderer.render("cong-van", data, "pdf")
    assert caught.value.errors()[0]["loc"] == ("notation",)


def test_unknown_template_and_date_before_the_decree(renderer: Renderer) -> None:
    with pytest.raises(UnknownTemplate):
        renderer.render("quyet-dinh-khong-co", example("cong-van"), "docx")
    with pytest.raises(NoVersionInForce):
        renderer.render("cong-van", example("cong-van") | {"issued_on": "2019-12-31"}, "docx")
    with pytest.raises(ValueError, match="PDF/A"):
        renderer.render("cong-van", example("cong-van"), "docx", pdfa=True)


def test_model_instance_is_accepted_as_is(renderer: Renderer) -> None:
    document = models.CongVan.model_validate(example("cong-van"))
    assert renderer.render("cong-van", document, "docx")[:2] == b"PK"


def test_warm_prepares_both_engines(tmp_path: Path) -> None:
    fresh = Renderer(font_cache_dir=tmp_path)
    fresh.warm()
    assert fresh.pdf.stylesheets("nd30-2020/cong-van")
    assert len(list(tmp_path.glob("LiberationSerif-*.ttf"))) == 4


def test_importing_the_package_loads_neither_engine() -> None:
    code = (
        "import sys, services.docgen.rendering, services.docgen.app; "
        "print(sorted(m for m in ('weasyprint', 'docxtpl', 'docx') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------- context


def test_kinh_gui_one_recipient_on_the_same_line() -> None:
    block = kinh_gui(["Bộ Nội vụ;"])
    assert block == {"single": True, "line": "Kính gửi: Bộ Nội vụ", "entries": []}


def test_kinh_gui_several_one_a_line_last_with_a_full_stop() -> None:
    block = kinh_gui(["Bộ Nội vụ", "Bộ Tài chính.", "Bộ Kế hoạch và Đầu tư"])
    assert block["entries"] == ["- Bộ Nội vụ;", "- Bộ Tài chính;", "- Bộ Kế hoạch và Đầu tư."]
    assert block["line"] == "Kính gửi:"
    # The dashes sit under the colon: the text starts after "Kính gửi" and a dash.
    assert block["item_indent_mm"] > block["indent_mm"] + block["hanging_mm"]


def test_noi_nhan_ends_with_the_archive_line_and_copies() -> None:
    distribution = models.Distribution(recipients=["Như trên", "Lưu trữ;"], archive=["VT", "VP"])
    assert noi_nhan(distribution)["entries"] == ["- Như trên;", "- Lưu trữ;", "- Lưu: VT, VP."]
    with_copies = distribution.model_copy(update={"copies": 2})
    assert noi_nhan(with_copies)["entries"][-1] == "- Lưu: VT, VP, 02b."


def test_unprintable_characters_are_dropped() -> None:
    assert text_lines("a\x07b\x0cc\td\r\n\ne\ud800") == ["abc d", "e"]


def test_fields_of_nothing_but_control_characters_still_render(renderer: Renderer) -> None:
    data = copy.deepcopy(example("cong-van"))
    data["issuer"]["name"] = "\x07\x08"
    data["subject"] = "\x07"
    data["paragraphs"] = ["\x08", "Đoạn còn lại."]
    for fmt in ("docx", "pdf"):
        assert renderer.render("cong-van", data, fmt)


def test_header_lines_and_rules() -> None:
    context = build_context(models.CongVan.model_validate(example("cong-van")))
    header = context["header"]
    assert header["issuer"] == ["ỦY BAN NHÂN DÂN", "HUYỆN CHÂU THÀNH"]
    assert header["place_date"] == "Châu Thành, ngày 07 tháng 3 năm 2024"
    assert header["subject"][0].startswith("V/v ")
    # The rule under the issuer is 1/3 to 1/2 of its widest line (≈ 45 mm here).
    assert 45.4 / 3 <= header["issuer_rule"]["width_mm"] <= 45.4 / 2
    assert context["signer"]["heading"] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_unnumbered_document_leaves_number_and_day_blank() -> None:
    data = example("cong-van") | {"number": None}
    header = build_context(models.CongVan.model_validate(data))["header"]
    assert re.fullmatch(r"Số: {2,}/UBND-VP", header["number_line"])
    assert re.fullmatch(r"Châu Thành, ngày {2,}tháng 3 năm 2024", header["place_date"])


# ---------------------------------------------------------------- DOCX


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_docx_page_and_fonts(docx_files: dict[str, bytes], template_id: str) -> None:
    document = docx.Document(io.BytesIO(docx_files[template_id]))
    section = document.sections[0]
    for actual, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 20),
        (section.bottom_margin, 20),
        (section.left_margin, 30),
        (section.right_margin, 15),
    ):
        assert abs(actual - Mm(mm)) < Mm(0.1), (actual.mm, mm)  # stored in twips
    styles = document.styles.element
    for rpr in (
        styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
        document.styles["Normal"].element.rPr,
    ):
        fonts = rpr.find(qn("w:rFonts"))
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(qn(f"w:{slot}")) == TIMES, slot
        assert fonts.get(qn("w:asciiTheme")) is None
    assert document.core_properties.title.startswith("V/v ")


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_docx_page_numbers_from_page_two(docx_files: dict[str, bytes], template_id: str) -> None:
    document = docx.Document(io.BytesIO(docx_files[template_id]))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    instructions = [e.text for e in section.header._element.iter(qn("w:instrText"))]
    assert [i.strip() for i in instructions] == ["PAGE"]
    number = section.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert number.runs[0].font.size == Pt(13)
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))
    footer = " ".join(p.text for p in section.first_page_footer.paragraphs)
    assert "Địa chỉ:" in footer


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_docx_header_components(docx_files: dict[str, bytes], template_id: str) -> None:
    document = docx.Document(io.BytesIO(docx_files[template_id]))
    data = example(template_id)
    header = document.tables[0]
    assert len(header.columns) == 2
    assert len(header.rows) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}

    expectations = {
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": (12, True, False),
        "Độc lập - Tự do - Hạnh phúc": (13, True, False),
        data["issuer"]["parent"]: (12, False, False),
        data["issuer"]["name"].split("\n")[0]: (12, True, False),
        "Số: ": (13, False, False),
        "ngày ": (13, False, True),
        "V/v ": (12, False, False),
        "Nơi nhận:": (12, True, True),
        "- Như trên;": (11, False, False),
        "- Lưu: VT": (11, False, False),
        data["signer"]["title"]: (14, True, False),
        data["signer"]["name"]: (14, True, False),
    }
    for text, expected in expectations.items():
        assert run_style(find(document, text)) == expected, text
    for text in ("CỘNG HÒA", "Độc lập", "Số: ", "V/v ", data["signer"]["name"]):
        assert find(document, text).alignment == WD_ALIGN_PARAGRAPH.CENTER, text
    # Rules under the issuer (1/3–1/2 of its text) and under the motto (its length).
    rules = [p for p in paragraphs(document) if p._p.pPr.find(qn("w:pBdr")) is not None][:2]
    assert len(rules) == 2
    issuer_rule = layout.HEADER_LEFT - 2 * rules[0].paragraph_format.left_indent.mm
    assert 10 < issuer_rule < 30
    motto_rule = layout.HEADER_RIGHT - 2 * rules[1].paragraph_format.left_indent.mm
    assert 54 < motto_rule < 58


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_docx_body_and_recipients(docx_files: dict[str, bytes], template_id: str) -> None:
    document = docx.Document(io.BytesIO(docx_files[template_id]))
    data = example(template_id)
    for text in data["paragraphs"]:
        paragraph = find(document, text[:60])
        fmt = paragraph.paragraph_format
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert abs(fmt.first_line_indent - Cm(1.27)) < Mm(0.1)
        assert fmt.space_after >= Pt(6)
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert Pt(16) <= fmt.line_spacing <= Pt(24)  # single (≈16 pt) to 1.5 lines
        assert run_style(paragraph) == (14, False, False)
    label = find(document, "Kính gửi:")
    assert run_style(label) == (14, False, False)
    entries = [find(document, r).text for r in data["recipients"]]
    assert entries[0].startswith("- ")
    assert entries[0].endswith(";")
    assert entries[-1].endswith(".")
    everything = flat(" ".join(p.text for p in paragraphs(document)))
    assert_in_order(everything, expected_sequence(template_id))


def test_docx_overdue_table(docx_files: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(docx_files["cong-van-don-doc"]))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Đơn vị, chủ đầu tư", "Dự án", "Báo cáo còn thiếu", "Hạn"]
    overdue = example("cong-van-don-doc")["overdue"]
    assert len(rows) == 1 + len(overdue)
    assert rows[1][0] == "1"
    assert rows[1][4] == "20/02/2024"
    assert rows[-1][2] == ""  # no project named
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on page 2


def test_docx_template_is_what_the_builder_makes() -> None:
    path = REPO / "services/docgen/templates/build_docx.py"
    spec = importlib.util.spec_from_file_location("build_docx", path)
    assert spec is not None
    assert spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    for template_id in TEMPLATES:
        committed = path.parent / "nd30-2020" / template_id / "document.docx"
        assert builder.build(template_id) == committed.read_bytes(), (
            f"{committed} is stale: run .venv/bin/python {path.relative_to(REPO)}"
        )


def test_docx_rerenders_are_independent(renderer: Renderer) -> None:
    first, second = example("cong-van"), example("cong-van-don-doc")
    second["paragraphs"] = ["Chỉ có trong văn bản thứ hai."]

    def body(data: bytes) -> bytes:
        return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")

    alone = body(renderer.render("cong-van", first, "docx"))
    with ThreadPoolExecutor(4) as pool:
        jobs = [
            pool.submit(renderer.render, *job)
            for job in [("cong-van", first, "docx"), ("cong-van-don-doc", second, "docx")] * 4
        ]
        results = [body(job.result()) for job in jobs]
    assert results[0::2] == [alone] * 4
    assert all("Chỉ có trong văn bản thứ hai".encode() in r for r in results[1::2])
    assert not any("Chỉ có".encode() in r for r in results[0::2])


# ---------------------------------------------------------------- PDF


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_pdf_text_fonts_and_page(
    pdf_files: dict[str, bytes], template_id: str, tmp_path: Path
) -> None:
    pdf = pdf_files[template_id]
    assert_in_order(flat(pdf_text(pdf, mode="-raw")), expected_sequence(template_id))
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Số: " in text

    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)

    (tmp_path / "document.pdf").write_bytes(pdf)
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "document.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert line.split()[-5:-3] == ["yes", "yes"], line  # embedded, subset
        # The reduced faces (a real Times New Roman would come first where installed).
        assert re.search(r"\+(Liberation-Serif-Vietnamese|Times)", line), line

    first_page = pdf_text(pdf, "-f", "1", "-l", "1").strip().splitlines()
    assert not re.fullmatch(r"\s*1\s*", first_page[0])  # no number on page 1
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    if pages > 1:
        assert pdf_text(pdf, "-f", "2", "-l", "2").strip().splitlines()[0].strip() == "2"

    # A look at page 1, as a person would see it (kept in tmp_path).
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "document.pdf"),
         str(tmp_path / template_id)],
        check=True,
    )  # fmt: skip
    png = tmp_path / f"{template_id}-1.png"
    assert png.read_bytes()[1:4] == b"PNG"


def test_letters_outside_the_reduced_faces_fall_back_to_liberation(
    renderer: Renderer, tmp_path: Path
) -> None:
    data = example("cong-van") | {"paragraphs": ["Đoàn công tác tại Łódź và Győr; hệ số Ω."]}
    pdf = renderer.render("cong-van", data, "pdf")
    assert "Łódź và Győr; hệ số Ω." in pdf_text(pdf)
    (tmp_path / "fallback.pdf").write_bytes(pdf)
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "fallback.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[1] for line in fonts}
    assert "Liberation-Serif" in names  # the system face, for Ł, ő and Ω only
    assert all(name.startswith("Liberation-Serif") for name in names), names


def test_pdf_is_reproducible_and_offers_pdfa(
    renderer: Renderer, pdf_files: dict[str, bytes]
) -> None:
    assert renderer.render("cong-van", example("cong-van"), "pdf") == pdf_files["cong-van"]
    archive = renderer.render("cong-van", example("cong-van"), "pdf", pdfa=True)
    assert b"pdfaid" in archive or b"/Metadata" in archive
    if shutil.which("pdfinfo"):
        meta = subprocess.run(
            ["pdfinfo", "-meta", "-"], input=archive, capture_output=True, check=True
        ).stdout.decode()
        assert 'pdfaid:part="2"' in meta
        assert 'pdfaid:conformance="B"' in meta


def test_draft_shows_blank_number_and_mark(renderer: Renderer) -> None:
    data = example("cong-van") | {"number": None, "draft": True}
    text = pdf_text(renderer.render("cong-van", data, "pdf"))
    assert "DỰ THẢO" in text
    assert re.search(r"Số:\s{3,}/UBND-VP", text)
    assert re.search(r"ngày\s{3,}tháng 3 năm 2024", text)
    document = docx.Document(io.BytesIO(renderer.render("cong-van", data, "docx")))
    mark = document.sections[0].first_page_header.paragraphs[0]
    assert mark.text == "DỰ THẢO"
    assert mark.runs[0].bold
    assert re.fullmatch(r"Số: {3,}/UBND-VP", find(document, "Số:").text)
    final = pdf_text(renderer.render("cong-van", example("cong-van"), "pdf"))
    assert "DỰ THẢO" not in final


# ---------------------------------------------------------------- injection and fetching


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local port that would see any fetch WeasyPrint attempted."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.setblocking(False)
    yield server
    server.close()


def assert_no_connection(server: socket.socket) -> None:
    with pytest.raises(BlockingIOError):
        server.accept()


def test_user_text_is_printed_literally(renderer: Renderer, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    smuggled = INJECTION.replace("127.0.0.1:1", f"127.0.0.1:{port}")
    data = copy.deepcopy(example("cong-van-don-doc"))
    data["subject"] = smuggled
    data["paragraphs"] = [smuggled]
    data["recipients"] = [smuggled, "Nơi thứ hai"]
    data["overdue"][0]["reporter"] = smuggled
    data["signer"]["name"] = smuggled
    literal = flat(smuggled.replace("\x07", "").replace("\x0c", "").replace("\t", " "))

    refused_before = list(renderer.pdf.resolver.refused)
    pdf = renderer.render("cong-van-don-doc", data, "pdf")
    text = flat(pdf_text(pdf, mode="-raw"))
    # Narrow table cells wrap the text, so compare without the spaces.
    assert text.replace(" ", "").count(literal.replace(" ", "")) >= 5, text[:600]
    assert not re.search(r"\b49\b", text)
    assert renderer.pdf.resolver.refused == refused_before  # never even asked
    assert_no_connection(listener)

    document = docx.Document(io.BytesIO(renderer.render("cong-van-don-doc", data, "docx")))
    texts = [flat(p.text) for p in paragraphs(document)]
    assert sum(literal in t for t in texts) >= 5
    # "49" would be {{ 7*7 }} evaluated; the smuggled text itself holds a random port
    # number that may contain those digits, so look only outside it.
    assert not any("49" in t.replace(literal, "") for t in texts)


def test_markup_in_a_template_cannot_fetch(renderer: Renderer, listener: socket.socket) -> None:
    """The second wall: were a template to emit a tag, the fetcher still refuses it."""
    port = listener.getsockname()[1]
    urls = [
        f"http://127.0.0.1:{port}/x",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "vanthu-asset:../../../etc/passwd",
    ]
    html = "".join(f'<img src="{u}">' for u in urls) + "<p>thân bài</p>"
    html += f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
    pdf = renderer.pdf.html_to_pdf(html, "nd30-2020/cong-van")
    assert "thân bài" in pdf_text(pdf)
    assert set(urls) <= set(renderer.pdf.resolver.refused)
    assert_no_connection(listener)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/x",
        "https://example.org/font.ttf",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "ftp://127.0.0.1/x",
        "vanthu-asset:fonts/../../../../etc/passwd",
        "fonts/LiberationSerif-Regular.ttf",
    ],
)
def test_fetcher_refuses_everything_but_registered_assets(url: str) -> None:
    resolver = AssetResolver({"vanthu-asset:fonts/a.ttf": Asset(b"font", "font/ttf")})
    with pytest.raises(RefusedURL):
        resolver.resolve(url)
    fetcher = weasyprint_fetcher(resolver)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.fetch("vanthu-asset:fonts/a.ttf").read() == b"font"


# ---------------------------------------------------------------- fonts


def test_reduced_fonts_cover_vietnamese_and_are_reused(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    fonts = reduced_fonts(tmp_path)
    letters = (
        "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    )
    wanted = set(letters + letters.upper() + "₫–—“”‘’…")
    for path in fonts.paths.values():
        with TTFont(path) as font:
            missing = {ch for ch in wanted if ord(ch) not in font.getBestCmap()}
        assert not missing, (path.name, missing)
        assert path.stat().st_size < 120_000
    stamps = {p: p.stat().st_mtime_ns for p in fonts.paths.values()}
    assert reduced_fonts(tmp_path).paths == fonts.paths
    assert {p: p.stat().st_mtime_ns for p in fonts.paths.values()} == stamps
    assert any(start <= 0x20AB <= end for start, end in REPERTOIRE)


# ---------------------------------------------------------------- shortcuts


@pytest.mark.parametrize("template_id", [*TEMPLATES, "bao-cao-giai-ngan"])
def test_docx_parts_are_what_plain_docxtpl_makes(renderer: Renderer, template_id: str) -> None:
    """The engine's shortcuts (fix_tables, resolve_listing, clean-up) change no byte of a part."""
    from docxtpl import DocxTemplate

    data = example(template_id)
    if "paragraphs" in data:
        data["paragraphs"] = ["Một\tcột, hai\ndòng", *data["paragraphs"]]
    version, context = renderer.prepare(template_id, data)
    ours = zipfile.ZipFile(io.BytesIO(renderer.render(template_id, data, "docx")))
    plain = DocxTemplate(renderer.templates / version.files / "document.docx")
    plain.render(context, jinja_env=renderer.docx._env)
    out = io.BytesIO()
    plain.save(out)
    theirs = zipfile.ZipFile(out)
    assert ours.namelist() == theirs.namelist()
    for name in ours.namelist():
        if name != "docProps/core.xml":
            assert ours.read(name) == theirs.read(name), name
    if template_id == "bao-cao-giai-ngan":  # its issuer has two lines: resolve_listing's work
        assert b"<w:br/>" in ours.read("word/document.xml")


def test_reduced_user_agent_stylesheet_keeps_what_the_templates_can_match() -> None:
    from services.docgen.rendering.pdf import reduced_ua_css, template_tags

    tags = template_tags(REPO / "services" / "docgen" / "templates")
    assert {"table", "td", "p", "br", "tbody", "html"} <= tags
    source = (
        "ul, p { margin: 1em } h1 { font-size: 2em } td, th { padding: 1px } "
        "br::before { content: '\\A' } [hidden] { display: none } "
        ":is(dir, ol, ul) ul { list-style-type: circle } table > tr { vertical-align: middle }"
    )
    reduced = reduced_ua_css(source, frozenset({"p", "td", "table", "tr", "br"}))
    for dropped in ("ul", "h1", "th"):
        assert dropped not in reduced
    for kept in ("p {", "td {", "br::before", "[hidden]", "table > tr"):
        assert kept in reduced


def test_gc_is_paused_during_a_render_and_restored() -> None:
    import gc

    from services.docgen.rendering.pdf import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
