"""What the engines do for speed changes nothing in what is rendered.

- the DOCX zip written from cached deflated parts holds python-docx's own parts;
- deflating each PDF stream once (a WeasyPrint finisher) gives the same bytes.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
import zlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest

from services.docgen.catalogue import load_catalogue
from services.docgen.rendering import Renderer
from services.docgen.rendering import docx as docx_module
from services.docgen.rendering import pdf as pdf_module
from services.docgen.rendering.docx import DeflateCache
from tests.unit.docgen.conftest import example

TEMPLATES = ("cong-van", "bao-cao-giai-ngan")


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


def _every_template_version() -> list[Any]:
    return [
        pytest.param(template.id, version.files, id=version.files)
        for template in load_catalogue()
        for version in template.versions
    ]


@pytest.mark.parametrize(("template_id", "files"), _every_template_version())
def test_docx_is_what_docxtpl_itself_writes(
    renderer: Renderer, template_id: str, files: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The overrides of docx.py against docxtpl's own render and save, part by part.

    The fast path is forced on, so that after an upgrade this says whether the
    overrides still hold for the new versions (then name them in WRITTEN_FOR).
    """
    _, context = renderer.prepare(template_id, example(template_id))
    monkeypatch.setattr(docx_module, "fast_path", lambda: True)
    ours = renderer.docx.render(files, context)
    theirs = renderer.docx._render_plainly(files, context)
    with zipfile.ZipFile(io.BytesIO(ours)) as mine, zipfile.ZipFile(io.BytesIO(theirs)) as plain:
        assert mine.testzip() is None
        assert mine.namelist() == plain.namelist()
        for name in mine.namelist():
            assert mine.read(name) == plain.read(name), name
    document = docx.Document(io.BytesIO(ours))
    assert document.core_properties.title == context["meta"]["title"]


def test_docx_overrides_run_only_on_the_versions_they_were_checked_with(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = {name: version(name) for name in docx_module.WRITTEN_FOR}
    assert installed == docx_module.WRITTEN_FOR, (
        "docxtpl/python-docx moved: if test_docx_is_what_docxtpl_itself_writes passes, "
        "name the new versions in services/docgen/rendering/docx.py WRITTEN_FOR"
    )
    assert docx_module.fast_path()
    data = example("cong-van")
    fast = renderer.render("cong-van", data, "docx")
    monkeypatch.setattr(docx_module, "WRITTEN_FOR", {**installed, "docxtpl": "0.0.1"})
    docx_module.fast_path.cache_clear()
    try:
        assert not docx_module.fast_path()
        plain = renderer.render("cong-van", data, "docx")
    finally:
        docx_module.fast_path.cache_clear()
    with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(plain)) as b:
        assert {i.date_time for i in a.infolist()} == {(1980, 1, 1, 0, 0, 0)}  # our writer's
        assert {i.date_time for i in b.infolist()} != {(1980, 1, 1, 0, 0, 0)}  # zipfile's
        assert [(n, a.read(n)) for n in a.namelist()] == [(n, b.read(n)) for n in b.namelist()]


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
