"""One entry point: a template id, the data, a format → the file's bytes.

The data is validated with the template's model (a pydantic
``ValidationError`` names each bad field; the web layer turns it into
problem+json), the version in force on the document's date is chosen from
the catalogue, the context is built once and handed to the DOCX or the PDF
engine. Engines are made on first use, in the process that renders.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from services.docgen.catalogue import Catalogue, Template, TemplateVersion, default_catalogue
from services.docgen.catalogue.catalogue import templates_root
from services.docgen.rendering.context import Context, build_context
from services.docgen.rendering.docx import DocxEngine
from services.docgen.rendering.pdf import PdfEngine

Format = Literal["docx", "pdf"]
FORMATS: tuple[Format, ...] = get_args(Format)
MEDIA_TYPES: dict[Format, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class Renderer:
    """Renders the templates of a catalogue; keep one per process and reuse it."""

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        *,
        templates: Path | None = None,
        font_cache_dir: Path | None = None,
    ) -> None:
        self.catalogue = catalogue or default_catalogue()
        self.templates = templates or templates_root()
        self._font_cache_dir = font_cache_dir
        self._docx: DocxEngine | None = None
        self._pdf: PdfEngine | None = None
        self._lock = threading.Lock()

    # -- engines, made once ------------------------------------------------

    @property
    def docx(self) -> DocxEngine:
        with self._lock:
            if self._docx is None:
                self._docx = DocxEngine(self.templates)
            return self._docx

    @property
    def pdf(self) -> PdfEngine:
        with self._lock:
            if self._pdf is None:
                self._pdf = PdfEngine(self.templates, font_cache_dir=self._font_cache_dir)
            return self._pdf

    def warm(self, formats: tuple[Format, ...] = FORMATS) -> None:
        """Make the engines and parse every stylesheet now (e.g. after a worker forks)."""
        for template in self.catalogue:
            for version in template.versions:
                if "pdf" in formats:
                    self.pdf.stylesheets(version.files)
        if "docx" in formats:
            _ = self.docx

    # -- the pipeline --------------------------------------------------------

    def validate(self, template_id: str, data: Mapping[str, Any] | BaseModel) -> BaseModel:
        """The data as the template's model; raises pydantic's ValidationError."""
        template = self.catalogue.get(template_id)
        model = template.model
        if type(data) is model:
            document = data
        else:
            if isinstance(data, BaseModel):
                data = data.model_dump(mode="json", exclude_unset=True)
            document = model.model_validate(data)
        if template.abbreviation is not None and hasattr(document, "notation"):
            _check_type_abbreviation(template, document)
        return document

    def prepare(
        self, template_id: str, data: Mapping[str, Any] | BaseModel
    ) -> tuple[TemplateVersion, Context]:
        """The version in force on the document's date, and the context to render."""
        document = self.validate(template_id, data)
        version = self.catalogue.get(template_id).version_on(document.issued_on)  # type: ignore[attr-defined]
        type_name = self.catalogue.get(template_id).type_name
        return version, build_context(document, type_name=type_name)

    def render(
        self,
        template_id: str,
        data: Mapping[str, Any] | BaseModel,
        fmt: Format,
        *,
        pdfa: bool = False,
    ) -> bytes:
        """The document as DOCX or PDF bytes; ``pdfa`` gives PDF/A-2b for archive copies."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        if pdfa and fmt != "pdf":
            raise ValueError("PDF/A applies to the PDF format only")
        version, context = self.prepare(template_id, data)
        if fmt == "docx":
            return self.docx.render(version.files, context)
        return self.pdf.render(version.files, context, pdfa=pdfa)


def _check_type_abbreviation(template: Template, document: BaseModel) -> None:
    """A document with a type name is 'KH-UBND': its ký hiệu starts with the type's
    abbreviation (Phụ lục III), checked as a field error of ``notation``."""
    notation = str(document.notation)  # type: ignore[attr-defined]
    if notation.split("-", 1)[0] == template.abbreviation:
        return
    issuer = getattr(getattr(document, "issuer", None), "abbreviation", "UBND")
    message = (
        f"ký hiệu của {template.title.lower()} phải bắt đầu bằng "
        f"'{template.abbreviation}-', ví dụ '{template.abbreviation}-{issuer}' "
        f"(đang là '{notation}')"
    )
    error = InitErrorDetails(
        type=PydanticCustomError("notation_type", message),
        loc=("notation",),
        input=notation,
    )
    raise ValidationError.from_exception_data(type(document).__name__, [error])


@cache
def renderer() -> Renderer:
    """The process's renderer over the packaged catalogue (engines made on first use)."""
    return Renderer()


def render(
    template_id: str,
    data: Mapping[str, Any] | BaseModel,
    fmt: Format,
    *,
    pdfa: bool = False,
) -> bytes:
    """``renderer().render(...)``: validate, pick the version, render."""
    return renderer().render(template_id, data, fmt, pdfa=pdfa)
