"""The linter on what the real renderer makes of the packaged example công văn."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.docgen.layout_lint import lint

rendering = pytest.importorskip("services.docgen.rendering")

EXAMPLE = (
    Path(__file__).resolve().parents[3] / "services/docgen/templates/examples/cong-van.json"
)
# The address line (ô 13) is printed in the bottom margin of page 1 (DOCX: the
# first-page footer; PDF: a bottom page-margin box). The decree's layout grid
# puts it inside the text area; until that is settled the margin finding is
# tolerated here, and every other rule must pass.
TOLERATED = {"R1.margin-bottom"}


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A renderer whose font cache is a temp dir, not the repository's var/."""
    return rendering.Renderer(font_cache_dir=tmp_path_factory.mktemp("fonts"))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_rendered_example_passes(
    tmp_path: Path, renderer: Any, example: dict, fmt: str
) -> None:
    path = tmp_path / f"cong-van.{fmt}"
    path.write_bytes(renderer.render("cong-van", example, fmt))
    report = lint(path)
    assert {f.rule for f in report.errors} <= TOLERATED, report.format_text()
    assert report.warnings == [], report.format_text()


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_rendered_draft_passes_with_the_draft_flag(
    tmp_path: Path, renderer: Any, example: dict, fmt: str
) -> None:
    path = tmp_path / f"du-thao.{fmt}"
    draft = {**example, "number": None, "draft": True}
    path.write_bytes(renderer.render("cong-van", draft, fmt))
    assert {f.rule for f in lint(path, draft=True).errors} <= TOLERATED
    assert {"R4.so-format", "R5.ngay-format"} <= {f.rule for f in lint(path).errors}
