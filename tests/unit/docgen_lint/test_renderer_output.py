"""The linter on what the real renderer makes of every example of the catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.docgen import rendering
from services.docgen.catalogue import default_catalogue
from services.docgen.layout_lint import lint

REPO = Path(__file__).resolve().parents[3]
TEMPLATES = [template.id for template in default_catalogue()]


def profile_for(template_id: str) -> str:
    """Forms (catalogue kind "form") are linted with the form profile, the rest in full."""
    return "form" if default_catalogue().get(template_id).kind == "form" else "document"


def example(template_id: str) -> dict[str, Any]:
    path = REPO / default_catalogue().get(template_id).example
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def cases() -> list[Any]:
    return [(template_id, fmt) for template_id in TEMPLATES for fmt in ("docx", "pdf")]


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A renderer whose font cache is a temp dir, not the repository's var/."""
    return rendering.Renderer(font_cache_dir=tmp_path_factory.mktemp("fonts"))


@pytest.mark.parametrize(("template_id", "fmt"), cases())
def test_rendered_example_passes(tmp_path: Path, renderer: Any, template_id: str, fmt: str) -> None:
    path = tmp_path / f"{template_id}.{fmt}"
    path.write_bytes(renderer.render(template_id, example(template_id), fmt))
    profile = profile_for(template_id)
    report = lint(path, profile=profile)
    assert report.errors == [], report.format_text()
    if profile == "document":
        assert report.warnings == [], report.format_text()


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_rendered_draft_passes_with_the_draft_flag(tmp_path: Path, renderer: Any, fmt: str) -> None:
    path = tmp_path / f"du-thao.{fmt}"
    draft = {**example("cong-van"), "number": None, "draft": True}
    path.write_bytes(renderer.render("cong-van", draft, fmt))
    assert lint(path, draft=True).errors == []
    assert {"R4.so-format", "R5.ngay-format"} <= {f.rule for f in lint(path).errors}
