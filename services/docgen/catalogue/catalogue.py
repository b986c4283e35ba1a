"""Templates versioned by effective date.

The catalogue is data (``catalogue.json``): each template names its data model
and lists versions, each with its legal basis and ``valid_from``/``valid_to``.
A document dated D is rendered with the version in force on D. Adding a
successor is adding a version whose ``valid_from`` follows the last one: the
loader closes the predecessor the day before, so the JSON never needs editing
in two places, and overlapping or gapped histories are refused at load time.
"""

from __future__ import annotations

import importlib
import itertools
import json
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from services.docgen import documents

Kind = Literal["cong-van", "named", "form"]


def _document_models() -> dict[str, type[BaseModel]]:
    """Every model a catalogue entry may name: those each ``documents`` module exports.

    A module lists its renderable models in ``CATALOGUE_MODELS``. Looking them up
    here, rather than by name in the JSON, means a catalogue file can never point
    a template at arbitrary code.
    """
    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(documents.__path__):
        module = importlib.import_module(f"{documents.__name__}.{info.name}")
        for model in getattr(module, "CATALOGUE_MODELS", ()):
            found[model.__name__] = model
    return found


MODELS = _document_models()


class UnknownTemplate(LookupError):
    pass


class NoVersionInForce(LookupError):
    pass


@dataclass(frozen=True)
class TemplateVersion:
    id: str
    legal_basis: str
    valid_from: date
    valid_to: date | None
    files: str  # folder (under templates/) holding document.docx and document.html

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    kind: Kind
    model: type[BaseModel]
    example: str  # path of the example data file, relative to the repository root
    type_name: str | None = None  # ô 5a, e.g. "KẾ HOẠCH"; None for công văn
    abbreviation: str | None = None  # Phụ lục III, e.g. "KH"
    versions: tuple[TemplateVersion, ...] = field(default=())

    def version_on(self, on: date) -> TemplateVersion:
        for version in self.versions:
            if version.in_force(on):
                return version
        spans = ", ".join(
            f"{v.valid_from.isoformat()}–{v.valid_to.isoformat() if v.valid_to else '…'}"
            for v in self.versions
        )
        raise NoVersionInForce(
            f"Mẫu '{self.id}' không có phiên bản áp dụng cho ngày {on:%d/%m/%Y} "
            f"(các phiên bản: {spans})."
        )

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "type_name": self.type_name,
            "abbreviation": self.abbreviation,
            "example": self.example,
            "versions": [
                {
                    "id": v.id,
                    "legal_basis": v.legal_basis,
                    "valid_from": v.valid_from.isoformat(),
                    "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                }
                for v in self.versions
            ],
        }


def _versions(template_id: str, raw: list[dict[str, Any]]) -> tuple[TemplateVersion, ...]:
    if not raw:
        raise ValueError(f"template {template_id}: no versions")
    versions = sorted(
        (
            TemplateVersion(
                id=item["id"],
                legal_basis=item["legal_basis"],
                valid_from=date.fromisoformat(item["valid_from"]),
                valid_to=date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None,
                files=item["files"],
            )
            for item in raw
        ),
        key=lambda v: v.valid_from,
    )
    closed: list[TemplateVersion] = []
    for current, following in itertools.pairwise(versions):
        day_before = following.valid_from - timedelta(days=1)
        if current.valid_to is not None and current.valid_to != day_before:
            raise ValueError(
                f"template {template_id}: version {current.id} ends {current.valid_to} but "
                f"{following.id} starts {following.valid_from} (overlap or gap)"
            )
        closed.append(replace(current, valid_to=day_before))
    closed.append(versions[-1])
    return tuple(closed)


@dataclass(frozen=True)
class Catalogue:
    templates: dict[str, Template]

    def get(self, template_id: str) -> Template:
        try:
            return self.templates[template_id]
        except KeyError:
            raise UnknownTemplate(f"Không có mẫu văn bản '{template_id}'.") from None

    def __iter__(self) -> Iterator[Template]:
        return iter(self.templates.values())


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    templates: dict[str, Template] = {}
    for item in data["templates"]:
        if item["model"] not in MODELS:
            raise ValueError(f"template {item['id']}: unknown model {item['model']!r}")
        if item["id"] in templates:
            raise ValueError(f"template {item['id']} listed twice")
        templates[item["id"]] = Template(
            id=item["id"],
            title=item["title"],
            kind=item["kind"],
            model=MODELS[item["model"]],
            example=item["example"],
            type_name=item.get("type_name"),
            abbreviation=item.get("abbreviation"),
            versions=_versions(item["id"], item["versions"]),
        )
    return Catalogue(templates)


def templates_root() -> Path:
    return Path(str(resources.files("services.docgen") / "templates"))


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package, read once per process."""
    return load_catalogue()


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """Every ``*.json`` file of the catalogue folder (one per family of templates)."""
    sources = sorted((folder or templates_root() / "catalogue").glob("*.json"))
    entries = [
        entry
        for source in sources
        for entry in json.loads(source.read_text(encoding="utf-8"))["templates"]
    ]
    return parse_catalogue({"templates": entries})
