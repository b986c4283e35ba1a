"""The manifests and the code agree: commands, settings, ports and probe paths.

Settings are read from ``shared.config`` at test time, so a setting added or renamed
there is checked here without editing this file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shared import config as config_module
from shared.cli import build_parser
from tests.conftest import embedded_environ
from tests.unit.deploy.conftest import OVERLAYS, Manifest, containers, find, workloads

# Stand-ins for the values Secrets hold at run time, by secret key.
SECRET_SAMPLES = {
    "uri": "postgresql://vanthu:pw@vanthu-pg-rw.vanthu:5432/vanthu",
    "username": "default_user_x",
    "password": "p4ss-w0rd_",
    "CONSOLE_ACCESS_KEY": "vanthu-archive",
    "CONSOLE_SECRET_KEY": "a-long-secret-key",
    "secret": "0123456789abcdef" * 4,
}
# Defaults that only make sense on one machine (`make run`), never in a pod.
LOCAL_MARKERS = ("127.0.0.1", "sqlite:", "filesystem:", "dev-secret")
# Credentials: their defaults are development values, whatever they look like.
CREDENTIALS = ("S3_ACCESS_KEY", "S3_SECRET_KEY")
S3_SETTINGS = ("S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET")
# Plain variables the manifests may set besides VANTHU_* (used to build one).
HELPERS = {"MQ_USERNAME", "MQ_PASSWORD"}


def required_settings(service: str, command: str) -> set[str]:
    """Settings a container of ``service`` running ``command`` must set explicitly."""
    names = {s.name for s in config_module.SETTINGS}
    assert set(CREDENTIALS) | set(S3_SETTINGS) <= names, "shared.config renamed an S3 setting"
    required = set()
    for setting in config_module.SETTINGS:
        default = setting.default(Path("/var/lib/vanthu"), service)
        if any(marker in default for marker in LOCAL_MARKERS) or setting.name in CREDENTIALS:
            required.add(setting.name)
    if service != "archive":  # only archive uses S3
        required -= set(S3_SETTINGS)
    if command != "serve":  # only the web process listens
        required.discard("HOST")
    if command == "migrate":  # migrations touch databases only
        required &= {"DATABASE_URL", "AUTH_DATABASE_URL"}
    return required


def container_env(objects: list[Manifest], container: Manifest) -> dict[str, str]:
    """The environment a container starts with, secrets replaced by samples."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        ref = source["configMapRef"]["name"]
        env.update(find(objects, "ConfigMap", ref)["data"])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = re.sub(
                r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env[m.group(1)], item["value"]
            )
        else:
            key = item["valueFrom"]["secretKeyRef"]["key"]
            env[item["name"]] = SECRET_SAMPLES[key]
    return env


def _cases() -> list[Any]:
    return [pytest.param(overlay, id=overlay) for overlay in OVERLAYS]


def _containers(objects: list[Manifest]) -> list[tuple[Manifest, Manifest]]:
    return [(w, c) for w in workloads(objects) for c in containers(w)]


@pytest.mark.parametrize("overlay", _cases())
def test_every_container_runs_a_vanthu_command_that_parses(
    rendered: dict[str, list[Manifest]], overlay: str
) -> None:
    parser = build_parser()
    seen = set()
    for workload, container in _containers(rendered[overlay]):
        command = container["command"] + container.get("args", [])
        assert command[0] == "vanthu", f"{workload['metadata']['name']}: {command}"
        args = parser.parse_args(command[1:])
        seen.add((args.command, getattr(args, "service", None) or getattr(args, "owner", None)))
    expected = {("serve", s) for s in config_module.SERVICES}
    expected |= {("worker", s) for s in config_module.SERVICES} | {("migrate", "all")}
    assert seen == expected


@pytest.mark.parametrize("overlay", _cases())
def test_every_setting_a_container_needs_is_set_and_every_variable_is_known(
    rendered: dict[str, list[Manifest]], overlay: str
) -> None:
    objects = rendered[overlay]
    for workload, container in _containers(objects):
        name = workload["metadata"]["name"]
        command, target = container["command"][1], container["command"][2]
        service = target if target in config_module.SERVICES else "intake"
        env = container_env(objects, container)
        vanthu = {k: v for k, v in env.items() if k.startswith(config_module.PREFIX)}
        assert set(env) - set(vanthu) <= HELPERS, f"{name}: {sorted(set(env) - set(vanthu))}"
        assert config_module.unknown_variables(vanthu) == [], f"{name}: not a setting (typo?)"
        for setting in required_settings(service, command):
            names = {f"VANTHU_{service.upper()}_{setting}", f"VANTHU_{setting}"}
            assert names & set(vanthu), f"{name}: {setting} is not set"
        services = config_module.SERVICES if command == "migrate" else (service,)
        for each in services:
            loaded = config_module.load(each, vanthu)  # every value parses
            assert not loaded.database_url.startswith("sqlite")
            assert not loaded.auth_database_url.startswith("sqlite")
        if command != "migrate":
            assert loaded.broker_url.startswith("amqp://")
            assert loaded.broker_url.endswith("@vanthu-mq:5672/")
        if command == "serve":
            assert loaded.host == "0.0.0.0"  # noqa: S104 - a pod must listen on its address
            (port,) = container["ports"]
            assert port["containerPort"] == loaded.port, f"{name} listens on {loaded.port}"
        if service == "archive" and command != "migrate":
            assert loaded.s3_endpoint == "http://minio"
        # The var dir is a writable volume (the root file system is read-only).
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        assert str(loaded.var_dir) in mounts, f"{name}: {loaded.var_dir} is not mounted"


def test_required_settings_follow_shared_config() -> None:
    assert {"DATABASE_URL", "AUTH_DATABASE_URL", "BROKER_URL", "HOST"} <= required_settings(
        "intake", "serve"
    )
    assert set(S3_SETTINGS) - {"S3_BUCKET"} <= required_settings("archive", "worker")
    assert "HOST" not in required_settings("docgen", "worker")


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Every URL rule of each real Flask app, built on a temporary var dir."""
    import importlib

    found: dict[str, set[str]] = {}
    for service in config_module.SERVICES:
        environ = embedded_environ(tmp_path_factory.mktemp(service))
        cfg = config_module.load(service, environ)
        app = importlib.import_module(f"services.{service}.app").create_app(cfg)
        try:
            found[service] = {rule.rule for rule in app.url_map.iter_rules()}
        finally:
            app.extensions["vanthu"].dispose()
    return found


@pytest.mark.parametrize("overlay", _cases())
def test_probe_paths_are_routes_of_the_apps(
    rendered: dict[str, list[Manifest]], routes: dict[str, set[str]], overlay: str
) -> None:
    checked = 0
    for workload, container in _containers(rendered[overlay]):
        service = container["command"][2]
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            if probe in container:
                path = container[probe]["httpGet"]["path"]
                assert path in routes[service], f"{workload['metadata']['name']}: {path}"
                checked += 1
        annotations = workload["spec"]["template"]["metadata"].get("annotations", {})
        if "prometheus.io/path" in annotations:
            assert annotations["prometheus.io/path"] in routes[service]
    assert checked >= 9


@pytest.mark.parametrize("overlay", _cases())
def test_services_point_at_the_web_pods(rendered: dict[str, list[Manifest]], overlay: str) -> None:
    objects = rendered[overlay]
    for service in config_module.SERVICES:
        svc = find(objects, "Service", service)
        pods = find(objects, "Deployment", service)["spec"]["template"]["metadata"]["labels"]
        assert all(pods.get(k) == v for k, v in svc["spec"]["selector"].items())
        (port,) = svc["spec"]["ports"]
        assert port["targetPort"] == "http"
