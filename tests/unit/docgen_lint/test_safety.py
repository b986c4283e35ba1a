"""Hostile input: zip bombs, DTDs, damaged files are refused with exit code 2."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from services.docgen.layout_lint import UnreadableDocument, lint, main, safety
from tests.unit.docgen_lint.builders import build_docx

CHUNK = b"\0" * (1 << 20)


def _bomb(path: Path, megabytes: int, name: str = "word/document.xml") -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(name, "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(CHUNK)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 200 MiB run of zeros deflated to a fraction of a megabyte."""
    return _bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx", 200)


@pytest.fixture
def no_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("an entry was inflated")

    monkeypatch.setattr(zipfile.ZipExtFile, "read", refuse)
    monkeypatch.setattr(zipfile.ZipExtFile, "read1", refuse)


@pytest.mark.usefixtures("no_inflating")
def test_zip_bomb_is_refused_quickly_without_inflating(bomb: Path) -> None:
    assert bomb.stat().st_size < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        lint(bomb)
    assert time.monotonic() - started < 1.0


@pytest.mark.usefixtures("no_inflating")
def test_zip_bomb_exits_2(bomb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(bomb)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "zip bomb" in captured.err


@pytest.mark.usefixtures("no_inflating")
def test_small_but_too_compressible_entry_is_refused(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "ratio.docx", 4)  # 4 MiB, far past 200:1
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        lint(path)


@pytest.mark.usefixtures("no_inflating")
def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(safety.MAX_ZIP_ENTRIES + 1):
            z.writestr(f"word/media/{i}.xml", "")
    with pytest.raises(UnreadableDocument, match="entries"):
        lint(path)


def test_total_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_ZIP_TOTAL_BYTES", 1000)
    with pytest.raises(UnreadableDocument, match="inflates to"):
        lint(build_docx(tmp_path / "ok.docx"))


def test_a_dtd_in_a_part_is_refused(tmp_path: Path) -> None:
    source = build_docx(tmp_path / "ok.docx")
    path = tmp_path / "dtd.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename == "word/document.xml":
                head, _, rest = data.partition(b"?>")
                data = (head + b'?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
                        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' + rest)
            dst.writestr(entry, data)
    with pytest.raises(UnreadableDocument, match="DTD"):
        lint(path)


def test_a_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "xin chào")
    assert main([str(path)]) == 2


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\n", id="broken-pdf"),
        pytest.param(b"PK\x03\x04 not really a zip", id="broken-zip"),
        pytest.param("Công văn số 5".encode(), id="plain-text"),
        pytest.param(b"", id="empty"),
    ],
)
def test_unreadable_files_exit_2(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.pdf"
    path.write_bytes(content)
    assert main([str(path)]) == 2
    assert "input.pdf" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nowhere.docx")]) == 2
    assert "cannot read" in capsys.readouterr().err
