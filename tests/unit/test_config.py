from pathlib import Path

import pytest

from shared import config
from shared.config import ConfigError


def test_defaults_are_the_embedded_stack(tmp_path: Path) -> None:
    cfg = config.load("docgen", {"VANTHU_VAR_DIR": str(tmp_path)})
    assert cfg.database_url == f"sqlite:///{tmp_path}/docgen.sqlite3"
    assert cfg.broker_url == f"filesystem://{tmp_path}/queue"
    assert cfg.port == 8001
    assert cfg.s3_endpoint == "http://127.0.0.1:8333"
    assert config.load("intake", {"VANTHU_VAR_DIR": str(tmp_path)}).port == 8000
    assert config.load("archive", {"VANTHU_VAR_DIR": str(tmp_path)}).port == 8002


def test_service_value_wins_over_shared_value() -> None:
    env = {
        "VANTHU_DATABASE_URL": "postgresql://a@db/shared",
        "VANTHU_DOCGEN_DATABASE_URL": "postgresql://a@db/docgen",
    }
    assert config.load("docgen", env).database_url == "postgresql+psycopg://a@db/docgen"
    assert config.load("intake", env).database_url == "postgresql+psycopg://a@db/shared"
    assert config.load("docgen", env).sources["DATABASE_URL"] == "VANTHU_DOCGEN_DATABASE_URL"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("VANTHU_DOCGEN_PORT", "eighty"),
        ("VANTHU_PORT", "70000"),
        ("VANTHU_BROKER_URL", "redis://localhost"),
        ("VANTHU_BROKER_URL", "filesystem://relative/path"),
        ("VANTHU_DOCGEN_DATABASE_URL", "mysql://root@localhost/x"),
        ("VANTHU_S3_ENDPOINT", "localhost:8333"),
        ("VANTHU_LOG_LEVEL", "LOUD"),
        ("VANTHU_S3_BUCKET", "   "),
        ("VANTHU_RETRY_ATTEMPTS", "0"),
    ],
)
def test_bad_value_names_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load("docgen", {variable: value})
    assert caught.value.variable == variable
    assert str(caught.value).startswith(variable + ":")


def test_unknown_service_is_refused() -> None:
    with pytest.raises(ConfigError):
        config.load("billing", {})


def test_typos_are_reported() -> None:
    env = {"VANTHU_BROKR_URL": "amqp://x", "VANTHU_DOCGEN_PORT": "1", "PATH": "/bin"}
    assert config.unknown_variables(env) == ["VANTHU_BROKR_URL"]


def test_describe_lists_every_setting() -> None:
    names = {row[0] for row in config.describe()}
    assert {"VANTHU_DATABASE_URL", "VANTHU_BROKER_URL", "VANTHU_S3_ENDPOINT"} <= names
    assert len(names) == len(config.SETTINGS)
