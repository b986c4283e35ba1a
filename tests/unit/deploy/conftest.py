"""Render the Kubernetes overlays once per session (``kubectl kustomize``, offline)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
K8S = REPO / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")

# What kustomize 5 says about the fields kept for kubectl 1.20's kustomize 2.0.3.
EXPECTED_WARNINGS = ("'bases' is deprecated", "'patchesStrategicMerge' is deprecated")

Manifest = dict[str, Any]


def kubectl() -> str:
    found = shutil.which("kubectl")
    if found is None:
        pytest.fail("kubectl not on PATH: make test installs kubernetes-client where none is")
    return found


def render(overlay: str) -> tuple[list[Manifest], str]:
    """(objects, stderr) of ``kubectl kustomize deploy/k8s/overlays/<overlay>``."""
    done = subprocess.run(
        [kubectl(), "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"kubectl kustomize {overlay} failed:\n{done.stderr}"
    objects = [doc for doc in yaml.safe_load_all(done.stdout) if doc]
    return objects, done.stderr


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[Manifest]]:
    return {overlay: render(overlay)[0] for overlay in OVERLAYS}


def workloads(objects: list[Manifest]) -> list[Manifest]:
    return [o for o in objects if o["kind"] in ("Deployment", "Job")]


def containers(workload: Manifest) -> list[Manifest]:
    spec = workload["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def find(objects: list[Manifest], kind: str, name: str) -> Manifest:
    for o in objects:
        if o["kind"] == kind and o["metadata"]["name"] == name:
            return o
    raise AssertionError(f"no {kind}/{name} in the rendered manifests")
