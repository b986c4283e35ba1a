"""DOCX rendering with docxtpl: editable Word files from the templates of the catalogue.

docxtpl turns each XML part of the template (body, headers, footers) into one
Jinja template and renders it. Two costs repeat on every document if nothing
is kept: reading the .docx, and compiling those large templates. Here the
template's bytes are read once, and each compiled Jinja template is kept,
keyed by its source text: the same template yields the same source, so the
second document of a kind compiles nothing. python-docx's reading of the
template (unzip, content types, relationships) is kept too, and on saving only
the parts not seen before are deflated (``DeflateCache``). Every render still parses a
fresh python-docx document from the bytes in memory, so nothing of one
document can leak into the next (a re-rendered DocxTemplate object would
carry the previous document's state in ``self.docx``).

All of that overrides docxtpl's and python-docx's own methods, so it runs only
on the exact versions it was written against and checked with (``WRITTEN_FOR``;
tests/unit/docgen/test_rendering_bytes.py renders every catalogue template both
ways and compares the parts). On any other version the libraries' own
``DocxTemplate.render`` and ``save`` are used: slower, never wrong.
"""

from __future__ import annotations

import io
import re
import struct
import threading
import zlib
from collections import OrderedDict
from datetime import date, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from services.docgen.rendering.layout import twips

TEMPLATE_NAME = "document.docx"

# The versions the overrides below were written against. After an upgrade, run
# the parity test (it forces them on) and name the new versions here if it passes.
WRITTEN_FOR = {"docxtpl": "0.20.2", "python-docx": "1.2.0"}


@cache
def fast_path() -> bool:
    """The installed docxtpl and python-docx are exactly those of ``WRITTEN_FOR``."""
    try:
        return all(version(name) == wanted for name, wanted in WRITTEN_FOR.items())
    except PackageNotFoundError:
        return False


class _DocxEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed, autoescaping, strict; remembers the templates it compiled."""

    def __init__(self, cache_size: int = 64) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, auto_reload=False)
        self.filters["twips"] = lambda mm: twips(float(mm))
        self._compiled: OrderedDict[str, Template] = OrderedDict()
        self._cache_size = cache_size
        self._compile_lock = threading.Lock()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._compile_lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                return template
        template = super().from_string(source)
        with self._compile_lock:
            self._compiled[source] = template
            while len(self._compiled) > self._cache_size:
                self._compiled.popitem(last=False)
        return template


class DocxEngine:
    """Renders ``<templates>/<files>/document.docx``; one instance per process."""

    def __init__(self, templates_root: Path) -> None:
        self._root = templates_root
        self._env = _DocxEnvironment()
        self._sources: dict[str, bytes] = {}
        self._readers: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._deflated = DeflateCache()

    def _source(self, files: str) -> bytes:
        data = self._sources.get(files)
        if data is None:
            data = (self._root / files / TEMPLATE_NAME).read_bytes()
            with self._lock:
                self._sources[files] = data
        return data

    def _reader(self, files: str) -> Any:
        """python-docx's reading of the template (its parts' bytes and relationships), once."""
        reader = self._readers.get(files)
        if reader is None:
            from docx.opc.pkgreader import PackageReader  # noqa: PLC0415

            reader = PackageReader.from_file(io.BytesIO(self._source(files)))
            with self._lock:
                self._readers[files] = reader
        return reader

    def render(self, files: str, context: dict[str, Any]) -> bytes:
        if not fast_path():
            return self._render_plainly(files, context)
        template = _template_class()(io.BytesIO(self._source(files)))
        template.package_reader = self._reader(files)
        template.render(context, jinja_env=self._env)
        _set_properties(template.docx, context.get("meta", {}))
        return _save(template, self._deflated)

    def _render_plainly(self, files: str, context: dict[str, Any]) -> bytes:
        """docxtpl's own render and save (only the compiled Jinja templates are kept)."""
        from docxtpl import DocxTemplate  # noqa: PLC0415 - see _template_class

        template = DocxTemplate(io.BytesIO(self._source(files)))
        template.render(context, jinja_env=self._env)
        _set_properties(template.docx, context.get("meta", {}))
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()


# ------------------------------------------------------------- the zip file


class DeflateCache:
    """Deflated bytes of the parts a DOCX repeats unchanged, keyed by the part's bytes.

    Of a rendered DOCX's ~14 parts only the body (and the core properties, and
    headers or footers holding fields) differ from one document to the next;
    styles, numbering, settings, theme, fonts and the relationship parts come out
    byte for byte the same every time. python-docx deflates every one of them
    again on each save; here a part whose bytes were seen before takes its
    deflated form and CRC from this cache (least recently used first out).
    A part is kept from its second sighting on: a body seen once (most are)
    leaves only its hash behind.
    """

    def __init__(self, size: int = 256, seen: int = 1024) -> None:
        self._entries: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
        self._seen: OrderedDict[int, None] = OrderedDict()  # hashes of parts seen once
        self._size = size
        self._seen_size = seen
        self._lock = threading.Lock()

    def get(self, data: bytes) -> tuple[int, bytes]:
        """CRC-32 and raw-deflated form (zip's method 8, zlib's default level) of ``data``."""
        with self._lock:
            entry = self._entries.get(data)
            if entry is not None:
                self._entries.move_to_end(data)
                return entry
            key = hash(data)
            again = self._seen.pop(key, 0) is None
            if not again:
                self._seen[key] = None
                while len(self._seen) > self._seen_size:
                    self._seen.popitem(last=False)
        deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        entry = (zlib.crc32(data), deflate.compress(data) + deflate.flush())
        if again:
            with self._lock:
                self._entries[data] = entry
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return entry


class _ZipWriter:
    """The zip python-docx writes (deflated members, no zip64), from cached deflated parts.

    Member times are fixed (1980-01-01, zip's epoch), so the same document gives
    the same bytes. Stands in for python-docx's ``PhysPkgWriter``: ``write(uri, blob)``.
    """

    def __init__(self, deflated: DeflateCache) -> None:
        self._deflated = deflated
        self._out = io.BytesIO()
        self._central: list[bytes] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        name = str(pack_uri.membername).encode("utf-8")
        crc, data = self._deflated.get(bytes(blob))
        offset = self._out.tell()
        if offset + len(data) > _ZIP32_LIMIT or len(blob) > _ZIP32_LIMIT:
            raise _TooLarge
        flags = 0x800 if not name.isascii() else 0  # UTF-8 names, as zipfile marks them
        fields = (20, flags, 8, 0, _DOS_DATE, crc, len(data), len(blob), len(name))
        self._out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + name + data)
        self._central.append(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset) + name
        )

    def getvalue(self) -> bytes:
        start = self._out.tell()
        directory = b"".join(self._central)
        count = len(self._central)
        if count > 0xFFFF or start + len(directory) > _ZIP32_LIMIT:
            raise _TooLarge
        end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
        return self._out.getvalue() + directory + end


_ZIP32_LIMIT = 0x7FFFFFFF
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01; the time word before it is 0


class _TooLarge(Exception):
    """Past what a zip without zip64 holds: python-docx's own writer is used."""


def _save(template: Any, deflated: DeflateCache) -> bytes:
    """``template.save()`` to bytes, deflating only the parts not seen before.

    The parts, their order and their bytes are python-docx's own (its
    ``PackageWriter`` composes them); only the zip around them is written here.
    A template with pictures or embedded files to replace goes through docxtpl's
    own ``save``, which rewrites the zip afterwards.
    """
    replacing = (
        template.pics_to_replace
        or template.crc_to_new_media
        or template.crc_to_new_embedded
        or template.zipname_to_replace
    )
    if not replacing:
        try:
            from docx.opc.pkgwriter import PackageWriter  # noqa: PLC0415

            package = template.docx.part.package
            parts = list(package.parts)
            for part in parts:
                part.before_marshal()
            writer: Any = _ZipWriter(deflated)  # stands in for a PhysPkgWriter
            PackageWriter._write_content_types_stream(writer, parts)
            PackageWriter._write_pkg_rels(writer, package.rels)
            PackageWriter._write_parts(writer, parts)
            data = writer.getvalue()
            template.is_saved = True
            return data
        except (_TooLarge, AttributeError):
            pass
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


@cache
def _template_class() -> type:
    """docxtpl's DocxTemplate, remembering its XML clean-up (a pure function of the XML).

    Made on first use: importing docxtpl (and lxml's docx machinery) is left to
    the processes that render.
    """
    from docxtpl import DocxTemplate  # noqa: PLC0415
    from jinja2 import TemplateError  # noqa: PLC0415
    from lxml import etree  # noqa: PLC0415

    patched: OrderedDict[str, str] = OrderedDict()
    regular: OrderedDict[str, bool] = OrderedDict()  # body source → its rows fill the grids
    lock = threading.Lock()

    class Template(DocxTemplate):
        _body_source = ""
        package_reader: Any = None  # python-docx's PackageReader of the template, if kept
        docx: Any
        is_rendered: bool

        def init_docx(self, reload: bool = True) -> None:
            """docxtpl's, making the document from the template's parts read once.

            Each render still makes every part anew from the template's bytes
            (python-docx parses each XML part again): only the unzipping and the
            reading of content types and relationships are kept.
            """
            if self.package_reader is None:
                super().init_docx(reload)
            elif not self.docx or (self.is_rendered and reload):
                self.docx = _open_document(self.package_reader)
                self.is_rendered = False

        def build_xml(self, context: Any, jinja_env: Any = None) -> str:
            # docxtpl's own, remembering the body's source for ``fix_tables``.
            xml: str = self.get_xml()
            self._body_source = xml
            part = self.docx._part
            return str(self.render_xml_part(self.patch_xml(xml), part, context, jinja_env))

        def fix_tables(self, xml: str) -> Any:
            """docxtpl's fix (grid columns against the cells of each row) only where it can matter.

            When every row of the template's tables fills its grid exactly and
            no ``{%tc %}`` tag adds or drops cells, the rows of a document are
            copies of those rows, so docxtpl's fix changes nothing as long as
            each table keeps a row: the tree is then only parsed, as docxtpl
            parses it. Otherwise docxtpl's own fix runs.
            """
            source = self._body_source
            with lock:
                known = regular.get(source)
            if known is None:
                known = _rows_fill_grids(source, etree)
                with lock:
                    regular[source] = known
                    while len(regular) > 64:
                        regular.popitem(last=False)
            if known:
                tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
                if all(t.find(f".//{_W}tr") is not None for t in tree.iter(f"{_W}tbl")):
                    return tree
            return super().fix_tables(xml)

        def render_xml_part(
            self, src_xml: str, part: Any, context: Any, jinja_env: Any = None
        ) -> str:
            """docxtpl's, with its clean-up of the result done by plain string search.

            The same steps in the same order (one paragraph per line for Jinja's
            line numbers, the line breaks taken out again, escaped braces put
            back, ``resolve_listing``); a template error is raised by docxtpl's
            own code, which adds the lines around it.
            """
            if jinja_env is None:
                return str(super().render_xml_part(src_xml, part, context, jinja_env))
            prepared = _PARAGRAPH_TAG.sub(r"\n<w:p\1", src_xml)
            try:
                self.current_rendering_part = part
                xml: str = jinja_env.from_string(prepared).render(context)
            except TemplateError:
                return str(super().render_xml_part(src_xml, part, context, jinja_env))
            # re.sub(r"\n<w:p([ >])", r"<w:p\1", …), as two replacements
            xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
            for escaped, brace in (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}")):
                if escaped in xml:
                    xml = xml.replace(escaped, brace)
            return self.resolve_listing(xml)

        def resolve_listing(self, xml: str) -> str:
            """docxtpl's, applied only to the paragraphs it changes.

            Tabs, line and page breaks in a run's text become markup; a
            paragraph with none comes out as it went in. docxtpl cuts the XML
            into paragraphs from each ``<w:p>`` to the next ``</w:p>``; so is it
            cut here, with plain string search.
            """
            hits = [m.start() for m in _LISTING_TEXT.finditer(xml)]
            if not hits:
                return xml
            resolve = super().resolve_listing
            pieces: list[str] = []
            done = pos = i = 0
            while i < len(hits):
                start = _PARAGRAPH_START.search(xml, pos)
                if start is None:
                    break
                end = xml.find("</w:p>", start.end())
                if end < 0:
                    break
                end += len("</w:p>")
                while i < len(hits) and hits[i] < start.start():
                    i += 1  # outside any paragraph: left alone
                if i < len(hits) and hits[i] < end:
                    pieces += [xml[done : start.start()], str(resolve(xml[start.start() : end]))]
                    done = end
                    while i < len(hits) and hits[i] < end:
                        i += 1
                pos = end
            pieces.append(xml[done:])
            return "".join(pieces)

        def patch_xml(self, src_xml: str) -> str:
            with lock:
                result = patched.get(src_xml)
            if result is None:
                result = super().patch_xml(src_xml)
                with lock:
                    patched[src_xml] = result
                    while len(patched) > 64:
                        patched.popitem(last=False)
            return result

    return Template


def _open_document(reader: Any) -> Any:
    """``docx.Document(file)`` from an already read package: ``OpcPackage.open``'s steps."""
    from docx.opc.constants import CONTENT_TYPE  # noqa: PLC0415
    from docx.opc.package import Unmarshaller  # noqa: PLC0415
    from docx.opc.part import PartFactory  # noqa: PLC0415
    from docx.package import Package  # noqa: PLC0415

    package = Package()
    Unmarshaller.unmarshal(reader, package, PartFactory)
    document_part = package.main_document_part
    if document_part.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise ValueError(f"not a Word file, content type is {document_part.content_type!r}")
    return document_part.document


# Text of a run holding a character docxtpl's resolve_listing turns into markup.
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")
# docxtpl's patterns: a paragraph's start tag in resolve_listing, and before Jinja.
_PARAGRAPH_START = re.compile(r"<w:p(?: [^>]*)?>")
_PARAGRAPH_TAG = re.compile(r"<w:p([ >])")
_CELL_TAG = re.compile(r"\{%-?\s*tc\b")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _has_cell_tags(source: str) -> bool:
    """A ``{%tc %}`` tag, even split over runs: cells may come and go per document."""
    return _CELL_TAG.search(re.sub(r"<[^>]+>", "", source)) is not None


def _rows_fill_grids(source: str, etree: Any) -> bool:
    """Every row of every table of ``source`` has as many cells (spans counted) as grid
    columns, none more cells than columns, and no ``{%tc %}`` tag changes that.

    Rows are counted as docxtpl's fix_tables counts them (those of nested tables too).
    """
    if _has_cell_tags(source):
        return False
    try:
        tree = etree.fromstring(source, parser=etree.XMLParser(recover=True))
    except (etree.XMLSyntaxError, ValueError):
        return False
    return tree is not None and all(_fills_grid(t) for t in tree.iter(f"{_W}tbl"))


def _fills_grid(table: Any) -> bool:
    grid = table.find(f"{_W}tblGrid")
    if grid is None:
        return False
    columns = len(grid.findall(f"{_W}gridCol"))
    for row in table.iter(f"{_W}tr"):
        cells = row.findall(f"{_W}tc")
        spans = [_span(cell) for cell in cells]
        if None in spans or len(cells) > columns or sum(s or 0 for s in spans) != columns:
            return False
    return True


def _span(cell: Any) -> int | None:
    """Grid columns of a cell, as docxtpl's get_cell_len reads them; None if unreadable."""
    properties = cell.find(f"{_W}tcPr")
    span = None if properties is None else properties.find(f"{_W}gridSpan")
    value = "1" if span is None else span.get(f"{_W}val", "")
    return int(value) if value.isdigit() else None


def _set_properties(document: Any, meta: dict[str, Any]) -> None:
    """File properties (File ▸ Info in Word): title, author, dates of the document itself."""
    props = document.core_properties
    props.title = meta.get("title", "")
    props.subject = meta.get("title", "")
    props.author = meta.get("author", "")
    props.last_modified_by = meta.get("author", "")
    props.identifier = meta.get("number", "")
    props.language = meta.get("language", "vi-VN")
    props.comments = ""
    if meta.get("issued_on"):
        issued = date.fromisoformat(meta["issued_on"])
        props.created = props.modified = datetime(issued.year, issued.month, issued.day)
