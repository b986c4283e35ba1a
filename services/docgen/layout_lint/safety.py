"""Reading files from outside: what the linter refuses before it parses anything.

A DOCX is a zip. Its central directory declares every entry's compressed and
uncompressed size; ``zipfile`` never inflates an entry past its declared size
(a lying entry ends in a CRC error), so checking the declared sizes, the
entry count and the compression ratios before opening any entry is enough to
refuse a zip bomb without inflating it. XML is parsed without entities, DTDs
or network access, and a part that declares a DTD at all is refused.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final

from lxml import etree

MAX_FILE_BYTES: Final = 50 * 1024 * 1024
MAX_ZIP_ENTRIES: Final = 2000
MAX_ZIP_TOTAL_BYTES: Final = 100 * 1024 * 1024  # uncompressed, all entries
MAX_ZIP_ENTRY_BYTES: Final = 50 * 1024 * 1024  # uncompressed, one entry
# Deflated XML reaches ~20:1, rarely 100:1; a ratio past this on an entry of
# more than a megabyte is a bomb, not a document.
MAX_ZIP_RATIO: Final = 200
RATIO_FLOOR_BYTES: Final = 1024 * 1024
PROLOG_BYTES: Final = 4096
MAX_PDF_PAGES: Final = 500


class UnreadableDocument(Exception):
    """The file cannot be linted: missing, of another kind, damaged or hostile."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en

    def __str__(self) -> str:
        return f"{self.vi} / {self.en}"


def sniff(path: Path) -> str:
    """'docx' or 'pdf', by the file's first bytes; refuses anything else."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise UnreadableDocument(
            f"Không đọc được tệp: {exc.strerror}", f"cannot read the file: {exc.strerror}"
        ) from None
    if size > MAX_FILE_BYTES:
        raise UnreadableDocument(
            f"Tệp quá lớn ({size} byte, tối đa {MAX_FILE_BYTES})",
            f"file too large ({size} bytes, at most {MAX_FILE_BYTES})",
        )
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if b"%PDF-" in head:
        return "pdf"
    raise UnreadableDocument("Tệp không phải DOCX hay PDF", "the file is neither a DOCX nor a PDF")


def check_zip(path: Path) -> None:
    """Refuse a zip whose declared contents are too many, too big or too compressible."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            _check_entries(entries)
            names = {e.filename for e in entries}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise UnreadableDocument(
                    "Tệp zip không phải văn bản Word (DOCX)",
                    "the zip is not a Word document (DOCX)",
                )
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    with archive.open(entry) as fh:
                        prolog = fh.read(PROLOG_BYTES)
                    if _declares_dtd(prolog):
                        raise UnreadableDocument(
                            f"Phần {entry.filename} khai báo DTD: từ chối",
                            f"part {entry.filename} declares a DTD: refused",
                        )
    except UnreadableDocument:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        RuntimeError,
        ValueError,
        EOFError,
    ) as exc:  # RuntimeError: encrypted entries
        raise UnreadableDocument(f"Tệp zip hỏng: {exc}", f"damaged zip file: {exc}") from None


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UnreadableDocument(
            f"Tệp DOCX có {len(entries)} mục, tối đa {MAX_ZIP_ENTRIES}: từ chối",
            f"the DOCX holds {len(entries)} entries, at most {MAX_ZIP_ENTRIES}: refused",
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > MAX_ZIP_ENTRY_BYTES or (
            entry.file_size > RATIO_FLOOR_BYTES and ratio > MAX_ZIP_RATIO
        ):
            raise UnreadableDocument(
                f"Mục {entry.filename} giải nén ra {entry.file_size} byte "
                f"(nén {ratio:.0f}:1): nghi là bom zip, từ chối",
                f"entry {entry.filename} inflates to {entry.file_size} bytes "
                f"({ratio:.0f}:1): looks like a zip bomb, refused",
            )
    if total > MAX_ZIP_TOTAL_BYTES:
        raise UnreadableDocument(
            f"Tệp DOCX giải nén ra {total} byte, tối đa {MAX_ZIP_TOTAL_BYTES}: từ chối",
            f"the DOCX inflates to {total} bytes, at most {MAX_ZIP_TOTAL_BYTES}: refused",
        )


def _declares_dtd(prolog: bytes) -> bool:
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        for marker in ("<!DOCTYPE", "<!ENTITY"):
            if marker.encode(encoding) in prolog:
                return True
    return False


_PARSER: Final = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


def parse_xml(data: bytes) -> etree._Element:
    """Parse a part we read ourselves (the theme), with the same refusals."""
    if _declares_dtd(data[:PROLOG_BYTES]):
        raise UnreadableDocument("Phần XML khai báo DTD", "an XML part declares a DTD")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument(f"XML hỏng: {exc}", f"malformed XML: {exc}") from None
