"""The docgen desk fixture, shared by the numbering, signing and exchange tests."""

from __future__ import annotations

import pytest

from services.docgen.app import create_app
from tests.conftest import ClientFor, Stack
from tests.integration.numbering.test_issue_api import Desk


@pytest.fixture
def desk(stack: Stack, client_for: ClientFor) -> Desk:
    return Desk(stack, client_for(create_app, stack.config("docgen")))
