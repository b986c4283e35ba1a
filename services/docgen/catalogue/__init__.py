"""The template catalogue: which document types exist, and which version is in force when."""

from services.docgen.catalogue.catalogue import (
    Catalogue,
    NoVersionInForce,
    Template,
    TemplateVersion,
    UnknownTemplate,
    default_catalogue,
    load_catalogue,
)

__all__ = [
    "Catalogue",
    "NoVersionInForce",
    "Template",
    "TemplateVersion",
    "UnknownTemplate",
    "default_catalogue",
    "load_catalogue",
]
