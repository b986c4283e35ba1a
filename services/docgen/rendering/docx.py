"""DOCX rendering with docxtpl: editable Word files from the templates of the catalogue.

docxtpl turns each XML part of the template (body, headers, footers) into one
Jinja template and renders it. Two costs repeat on every document if nothing
is kept: reading the .docx, and compiling those large templates. Here the
template's bytes are read once, and each compiled Jinja template is kept,
keyed by its source text: the same template yields the same source, so the
second document of a kind compiles nothing. Every render still parses a
fresh python-docx document from the bytes in memory, so nothing of one
document can leak into the next (a re-rendered DocxTemplate object would
carry the previous document's state in ``self.docx``).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from services.docgen.rendering.layout import twips

TEMPLATE_NAME = "document.docx"


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
        self._lock = threading.Lock()

    def _source(self, files: str) -> bytes:
        data = self._sources.get(files)
        if data is None:
            data = (self._root / files / TEMPLATE_NAME).read_bytes()
            with self._lock:
                self._sources[files] = data
        return data

    def render(self, files: str, context: dict[str, Any]) -> bytes:
        template = _template_class()(io.BytesIO(self._source(files)))
        template.render(context, jinja_env=self._env)
        _set_properties(template.docx, context.get("meta", {}))
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

    patched: OrderedDict[str, str] = OrderedDict()
    lock = threading.Lock()

    class Template(DocxTemplate):
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
