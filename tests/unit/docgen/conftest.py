"""What the docgen unit tests share: a renderer per module, and the catalogue's examples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.docgen.catalogue import load_catalogue
from services.docgen.rendering import Renderer
from tests.conftest import REPO


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    return Renderer(font_cache_dir=tmp_path_factory.mktemp("fonts"))


def example(template_id: str) -> dict[str, Any]:
    """The example data of a catalogue template, as a fresh dict."""
    path = REPO / load_catalogue().get(template_id).example
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data
