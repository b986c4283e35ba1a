"""The rendering speed-ups change nothing in what is rendered.

- the DOCX zip written from cached deflated parts holds python-docx's own parts;
- deflating each PDF stream once (a WeasyPrint finisher) gives the same bytes;
- the faster WeasyPrint functions (``speedups``) give the same PDF bytes as
  WeasyPrint's own, and are refused over any other version of them.
"""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

import docx
import pdfplumber
import pytest

from services.docgen.catalogue import load_catalogue
from services.docgen.rendering import Renderer, speedups
from services.docgen.rendering import pdf as pdf_module
from services.docgen.rendering.docx import DeflateCache, _template_class
from tests.conftest import REPO

TEMPLATES = ("cong-van", "bao-cao-giai-ngan")


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    return Renderer(font_cache_dir=tmp_path_factory.mktemp("fonts"))


def example(template_id: str) -> dict[str, Any]:
    path = REPO / load_catalogue().get(template_id).example
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


# ---------------------------------------------------------------- DOCX


def test_deflate_cache_gives_zip_deflate_and_crc() -> None:
    cache = DeflateCache(size=2)
    data = b"<w:document>" + b"x" * 5000 + b"</w:document>"
    crc, deflated = cache.get(data)
    assert crc == zlib.crc32(data)
    assert zlib.decompress(deflated, -15) == data
    assert cache.get(bytes(data)) == (crc, deflated)


def test_deflate_cache_keeps_parts_seen_twice_and_forgets_the_least_recent() -> None:
    cache = DeflateCache(size=2)
    a, b, c = b"a" * 100, b"b" * 100, b"c" * 100
    cache.get(a)
    assert not cache._entries  # seen once: only its hash is kept
    first = cache.get(a)
    cache.get(b)
    cache.get(b)
    cache.get(a)  # a is now the most recent
    cache.get(c)
    cache.get(c)  # b goes
    assert set(cache._entries) == {a, c}
    assert cache.get(a) is first


def test_deflate_cache_bounds_what_it_remembers() -> None:
    cache = DeflateCache(size=2, seen=3)
    for i in range(10):
        cache.get(b"body %d" % i)
    assert len(cache._seen) == 3
    assert not cache._entries


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_docx_zip_holds_python_docx_parts(renderer: Renderer, template_id: str) -> None:
    ours = renderer.render(template_id, example(template_id), "docx")
    version, context = renderer.prepare(template_id, example(template_id))
    source = (renderer.templates / version.files / "document.docx").read_bytes()
    template = _template_class()(io.BytesIO(source))
    template.render(context, jinja_env=renderer.docx._env)
    plain = io.BytesIO()
    template.docx.core_properties.title = context["meta"].get("title", "")
    template.save(plain)

    with zipfile.ZipFile(io.BytesIO(ours)) as mine, zipfile.ZipFile(plain) as theirs:
        assert mine.testzip() is None
        assert mine.namelist() == theirs.namelist()
        for name in mine.namelist():
            if name != "docProps/core.xml":  # dates and author set by the engine
                assert mine.read(name) == theirs.read(name), name
    document = docx.Document(io.BytesIO(ours))
    assert document.core_properties.title == context["meta"]["title"]


def test_docx_of_one_document_is_the_same_bytes_twice(renderer: Renderer) -> None:
    data = example("cong-van")
    assert renderer.render("cong-van", data, "docx") == renderer.render("cong-van", data, "docx")


def test_docx_parts_that_change_are_not_served_stale(renderer: Renderer) -> None:
    data = example("cong-van")
    other = {**data, "paragraphs": ["Một đoạn khác hẳn."]}
    first = docx.Document(io.BytesIO(renderer.render("cong-van", data, "docx")))
    second = docx.Document(io.BytesIO(renderer.render("cong-van", other, "docx")))
    text = "\n".join(p.text for p in second.paragraphs)
    assert "Một đoạn khác hẳn." in text
    assert "Một đoạn khác hẳn." not in "\n".join(p.text for p in first.paragraphs)


# ---------------------------------------------------------------- PDF


@pytest.mark.parametrize("pdfa", [False, True], ids=["pdf", "pdfa"])
@pytest.mark.parametrize("template_id", TEMPLATES)
def test_compressing_streams_once_gives_the_same_pdf(
    renderer: Renderer, template_id: str, pdfa: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = example(template_id)
    ours = renderer.render(template_id, data, "pdf", pdfa=pdfa)
    monkeypatch.setattr(pdf_module, "compress_streams_once", lambda document, pdf: None)
    assert renderer.render(template_id, data, "pdf", pdfa=pdfa) == ours


def _copy_of(module: ModuleType) -> ModuleType:
    """A fresh copy of a WeasyPrint module: its functions as WeasyPrint wrote them."""
    spec = importlib.util.spec_from_file_location(f"{module.__name__}_copy", module.__file__)
    assert spec is not None
    assert spec.loader is not None
    copy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(copy)
    return copy


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_faster_functions_give_the_same_pdf(
    renderer: Renderer, template_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.draw import text
    from weasyprint.layout import percent

    assert renderer.pdf.speedups, "the speed-ups were refused on the pinned WeasyPrint"
    data = example(template_id)
    fast = renderer.render(template_id, data, "pdf")
    plain_text, plain_percent = _copy_of(text), _copy_of(percent)
    monkeypatch.setattr(text, "draw_first_line", plain_text.draw_first_line)
    for name, module in list(sys.modules.items()):
        if name.startswith("weasyprint.") and hasattr(module, "resolve_percentages"):
            monkeypatch.setattr(module, "resolve_percentages", plain_percent.resolve_percentages)
    assert renderer.render(template_id, data, "pdf") == fast


def test_speedups_refuse_other_code() -> None:
    def draw_first_line() -> None:
        """Not WeasyPrint's."""

    assert not speedups._unchanged(draw_first_line)
    from weasyprint.draw import text

    original = _copy_of(text).draw_first_line
    assert not speedups._unchanged(original)  # another module name: not the known function
    assert speedups.install()  # idempotent


def test_fonts_stay_embedded_and_text_extractable(renderer: Renderer, tmp_path: Path) -> None:
    pdf = renderer.render("cong-van", example("cong-van"), "pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        text = page.extract_text() or ""
        fonts = {c["fontname"].split("+")[-1] for c in page.chars}
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert fonts <= {
        "Liberation-Serif-Vietnamese",
        "Liberation-Serif-Vietnamese-Bold",
        "Liberation-Serif-Vietnamese-Italic",
        "Liberation-Serif-Vietnamese-Bold-Italic",
    }
    tool = "pdffonts"  # poppler-utils, a run dependency (deploy/debian/packages.txt)
    path = tmp_path / "cv.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), listing.stdout  # emb
