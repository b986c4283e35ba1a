"""Documents to files: one validated model, rendered to DOCX (docxtpl) and PDF (WeasyPrint).

    from services.docgen.rendering import render, renderer
    pdf = render("cong-van", data, "pdf")              # validates, picks the version, renders
    docx = render("cong-van", data, "docx")
    archive_copy = render("cong-van", data, "pdf", pdfa=True)   # PDF/A-2b
    renderer().warm()                                  # after a worker forks: engines, CSS

Adding a template: a folder under ``templates/<version>/<template>/`` with
``document.html`` (extends ``<version>/base.html``) and ``document.docx`` (a
builder function in ``templates/build_docx.py``), a catalogue entry naming the
folder and the data model, and a context builder registered with
``context.builds(Model)`` when the model is new. A document with a type name
(ô 5a) takes it and its abbreviation from the catalogue entry (``type_name``,
``abbreviation``): the title block is built from them, and the ký hiệu must
start with the abbreviation ("KH-UBND").

Importing this package imports neither docxtpl nor WeasyPrint: the engines
load them when first used, in the process that renders.
"""

from services.docgen.rendering import forms as _forms  # noqa: F401 - registers form contexts
from services.docgen.rendering.context import Context, build_context, builds
from services.docgen.rendering.pipeline import (
    FORMATS,
    MEDIA_TYPES,
    Format,
    Renderer,
    render,
    renderer,
)

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "Context",
    "Format",
    "Renderer",
    "build_context",
    "builds",
    "render",
    "renderer",
]
