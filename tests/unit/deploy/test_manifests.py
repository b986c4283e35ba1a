"""deploy/k8s: the overlays render, every object is valid, the shape is what we promise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.unit.deploy.conftest import (
    EXPECTED_WARNINGS,
    K8S,
    OVERLAYS,
    Manifest,
    containers,
    find,
    render,
    workloads,
)

# Validated against the schemas kubernetes-validate bundles for this version: the
# newest it has that our kubectl (1.32) also speaks.
KUBERNETES_VERSION = "1.32.0"

SCHEMAS = K8S / "schemas"
CUSTOM = {
    ("postgresql.cnpg.io/v1", "Cluster"): "cnpg-cluster.schema.json",
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): "cnpg-scheduledbackup.schema.json",
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): "rabbitmqcluster.schema.json",
    ("minio.min.io/v2", "Tenant"): "minio-tenant.schema.json",
}


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _ids(objects: list[Manifest]) -> list[str]:
    return [f"{o['kind']}/{o['metadata']['name']}" for o in objects]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_with_only_the_known_deprecation_warnings(overlay: str) -> None:
    objects, stderr = render(overlay)
    assert objects
    unexpected = [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(w in line for w in EXPECTED_WARNINGS)
    ]
    assert not unexpected, "\n".join(unexpected)
    namespaces = {o["metadata"].get("namespace") for o in objects}
    assert namespaces == {"vanthu-dev" if overlay == "dev" else "vanthu"}
    ids = _ids(objects)
    assert len(ids) == len(set(ids)), "an object is rendered twice"


def test_kustomizations_keep_to_what_kustomize_2_understands() -> None:
    """kubectl 1.20 (Debian 12's kubernetes-client) embeds kustomize 2.0.3."""
    allowed = {
        "apiVersion",
        "kind",
        "namespace",
        "bases",
        "resources",
        "patchesStrategicMerge",
        "patchesJson6902",
        "images",
        "configMapGenerator",
        "secretGenerator",
        "generatorOptions",
        "namePrefix",
        "nameSuffix",
        "commonAnnotations",
    }
    for path in K8S.rglob("kustomization.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= allowed, f"{path}: {sorted(set(data) - allowed)}"
        for entry in data.get("resources", []):
            assert (path.parent / entry).is_file(), f"{path}: {entry} must be a file (2.0.3)"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_core_objects_are_valid_kubernetes(
    rendered: dict[str, list[Manifest]], overlay: str
) -> None:
    core = [o for o in rendered[overlay] if (o["apiVersion"], o["kind"]) not in CUSTOM]
    assert {o["kind"] for o in core} >= {
        "ConfigMap",
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "Job",
    }
    for obj in core:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{overlay}: {obj['kind']}/{obj['metadata']['name']}: {exc.message}")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_custom_resources_match_the_operator_schemas(
    rendered: dict[str, list[Manifest]], overlay: str
) -> None:
    custom = [o for o in rendered[overlay] if (o["apiVersion"], o["kind"]) in CUSTOM]
    kinds = {o["kind"] for o in custom}
    assert kinds >= {"Cluster", "RabbitmqCluster", "Tenant"}
    for obj in custom:
        validator = jsonschema.Draft202012Validator(_schema(CUSTOM[obj["apiVersion"], obj["kind"]]))
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(obj)
        ]
        assert not errors, f"{overlay} {obj['kind']}/{obj['metadata']['name']}: {errors}"


def test_schemas_refuse_a_typo() -> None:
    tenant = {
        "apiVersion": "minio.min.io/v2",
        "kind": "Tenant",
        "metadata": {"name": "t"},
        "spec": {"configuration": {"name": "c"}, "pools": [], "bucket": []},
    }
    validator = jsonschema.Draft202012Validator(_schema("minio-tenant.schema.json"))
    assert not validator.is_valid(tenant)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_engines_are_the_real_ones_configured_as_vanthu_needs(
    rendered: dict[str, list[Manifest]], overlay: str
) -> None:
    objects = rendered[overlay]
    tenant = find(objects, "Tenant", "vanthu-minio")
    config = find(objects, "ConfigMap", "vanthu-config")["data"]
    buckets = {b["name"]: b for b in tenant["spec"]["buckets"]}
    assert buckets[config["VANTHU_S3_BUCKET"]].get("objectLock") is True
    pool = tenant["spec"]["pools"][0]
    # Erasure coding needs at least 4 drives in the pool.
    assert pool["servers"] * pool["volumesPerServer"] >= 4
    mq = find(objects, "RabbitmqCluster", "vanthu-mq")
    assert mq["spec"]["replicas"] % 2 == 1
    pg = find(objects, "Cluster", "vanthu-pg")
    assert pg["spec"]["enableSuperuserAccess"] is False
    if overlay == "prod":
        assert pool["servers"] >= 4, "distributed MinIO in production"
        assert mq["spec"]["replicas"] >= 3
        assert pg["spec"]["instances"] >= 3
        assert "barmanObjectStore" in pg["spec"]["backup"], "PITR needs WAL archiving"
        backup = find(objects, "ScheduledBackup", "vanthu-pg-nightly")
        assert backup["spec"]["cluster"]["name"] == "vanthu-pg"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_has_probes_resources_scaling_and_a_budget(
    rendered: dict[str, list[Manifest]], overlay: str
) -> None:
    objects = rendered[overlay]
    hpas = {
        o["spec"]["scaleTargetRef"]["name"]: o
        for o in objects
        if o["kind"] == "HorizontalPodAutoscaler"
    }
    pdbs = [o for o in objects if o["kind"] == "PodDisruptionBudget"]
    deployments = [o for o in objects if o["kind"] == "Deployment"]
    assert {d["metadata"]["name"] for d in deployments} >= {
        f"{svc}{suffix}" for svc in ("intake", "docgen", "archive") for suffix in ("", "-worker")
    }
    for workload in workloads(objects):
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in containers(workload):
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
    for deployment in deployments:
        name = deployment["metadata"]["name"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(
            all(labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items())
            for pdb in pdbs
        ), f"no PodDisruptionBudget covers {name}"
        if labels["vanthu.gov.vn/role"] == "custodian":
            assert deployment["spec"]["replicas"] == 1
            continue
        assert name in hpas, f"no HorizontalPodAutoscaler for {name}"
        assert "replicas" not in deployment["spec"], f"{name}: the HPA owns replicas"
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        if labels["vanthu.gov.vn/role"] == "web":
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_prod_scales_busy_workers_on_queue_depth(rendered: dict[str, list[Manifest]]) -> None:
    objects = rendered["prod"]
    for service in ("docgen", "archive"):
        hpa = find(objects, "HorizontalPodAutoscaler", f"{service}-worker")
        external = [m["external"] for m in hpa["spec"]["metrics"] if m["type"] == "External"]
        assert external, f"{service}-worker scales on CPU only"
        assert external[0]["metric"]["selector"]["matchLabels"]["queue"] == f"vanthu.{service}"
        kinds = {m["type"] for m in hpa["spec"]["metrics"]}
        assert "Resource" in kinds, "CPU stays as a fallback"
    mq = find(objects, "RabbitmqCluster", "vanthu-mq")
    rabbitmq_conf = mq["spec"]["rabbitmq"]["additionalConfig"]
    assert "prometheus.return_per_object_metrics = true" in rabbitmq_conf


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_deny_by_default_and_open_only_the_needed_paths(
    rendered: dict[str, list[Manifest]], overlay: str
) -> None:
    policies = {o["metadata"]["name"]: o for o in rendered[overlay] if o["kind"] == "NetworkPolicy"}
    deny = policies["vanthu-default-deny"]["spec"]
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny
    # Only archive pods may reach MinIO; workers accept no connections.
    minio = policies["vanthu-egress-minio"]["spec"]["podSelector"]["matchLabels"]
    assert minio["vanthu.gov.vn/service"] == "archive"
    web = policies["vanthu-web-ingress"]["spec"]["podSelector"]["matchLabels"]
    assert web["vanthu.gov.vn/role"] == "web"


def _secret_refs(obj: Manifest) -> set[tuple[str, str | None]]:
    """(secret, key) pairs an object reads; key None for a whole Secret."""
    refs: set[tuple[str, str | None]] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "secretKeyRef" in node:
                refs.add((node["secretKeyRef"]["name"], node["secretKeyRef"]["key"]))
            if "secretRef" in node:
                refs.add((node["secretRef"]["name"], None))
            if "secret" in node and isinstance(node["secret"], dict):
                refs.add((node["secret"]["secretName"], None))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(obj.get("spec", obj.get("data", {})))
    if obj["kind"] == "Tenant":
        refs.add((obj["spec"]["configuration"]["name"], "config.env"))
        for user in obj["spec"].get("users", []):
            refs.add((user["name"], "CONSOLE_ACCESS_KEY"))
            refs.add((user["name"], "CONSOLE_SECRET_KEY"))
    if obj["kind"] == "Cluster":
        creds = obj["spec"].get("backup", {}).get("barmanObjectStore", {}).get("s3Credentials", {})
        refs |= {(ref["name"], ref["key"]) for ref in creds.values()}
    return refs


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_secret_referenced_is_declared(
    rendered: dict[str, list[Manifest]], overlay: str
) -> None:
    declared = yaml.safe_load((K8S / "required-secrets.yaml").read_text(encoding="utf-8"))
    keys = {s["name"]: set(s["keys"]) for s in declared["secrets"] if overlay in s["overlays"]}
    made = {s["name"]: s.get("from") for s in declared["secrets"] if s["made_by"] == "operator"}
    objects = rendered[overlay]
    assert not [o for o in objects if o["kind"] == "Secret"], "no Secret (or value) is committed"
    used: set[str] = set()
    for obj in objects:
        for name, key in _secret_refs(obj):
            assert name in keys, f"{overlay}: {obj['kind']}/{obj['metadata']['name']} reads {name}"
            assert key is None or key in keys[name], f"{overlay}: {name} has no key {key!r}"
            used.add(name)
    assert used == set(keys), f"declared but unused: {sorted(set(keys) - used)}"
    for source in made.values():
        kind, owner = source.split("/")
        find(objects, kind, owner)  # the custom resource whose operator makes it
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    for name in keys:
        assert name in readme, f"deploy/k8s/README.md does not tell how to get {name}"


def test_schema_files_are_all_used() -> None:
    assert {p.name for p in Path(SCHEMAS).glob("*.json")} == set(CUSTOM.values())
