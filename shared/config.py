"""Configuration from ``VANTHU_*`` environment variables, validated at start-up.

Every setting is looked up first as ``VANTHU_<SERVICE>_<NAME>`` and then as
``VANTHU_<NAME>``, so one environment can hold the shared values (broker, S3)
and per-service ones (each service's database) side by side. A bad value stops
start-up with a :class:`ConfigError` naming the exact variable that was read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PREFIX = "VANTHU_"
SERVICES = ("intake", "docgen", "archive")
DEFAULT_PORTS = {"intake": 8000, "docgen": 8001, "archive": 8002}
DEFAULT_S3_PORT = 8333
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


def _int(lo: int, hi: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}") from None
        if not lo <= value <= hi:
            raise ValueError(f"expected a number from {lo} to {hi}, got {value}")
        return value

    return parse


def _database_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if scheme.startswith("sqlite") and raw.startswith("sqlite:///"):
        return raw
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg" + raw[len(scheme) :]
    if scheme == "postgresql+psycopg":
        return raw
    raise ValueError(
        f"expected sqlite:///PATH or postgresql://USER@HOST/DB, got scheme {scheme or '(none)'!r}"
    )


def _broker_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if scheme in ("amqp", "amqps", "pyamqp"):
        if not urlsplit(raw).hostname:
            raise ValueError("an amqp:// URL needs a host")
        return raw
    if scheme == "filesystem":
        parts = urlsplit(raw)
        if parts.netloc or not parts.path.startswith("/"):
            raise ValueError("use filesystem:///ABSOLUTE/PATH for the filesystem transport")
        return raw
    raise ValueError(f"expected amqp://… or filesystem:///PATH, got {raw!r}")


def _http_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected http(s)://HOST:PORT, got {raw!r}")
    return raw.rstrip("/")


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().upper()
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {raw!r}")
        return value

    return parse


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw.strip()


def _optional_text(raw: str) -> str:
    return raw.strip()


def _optional_http_url(raw: str) -> str:
    return _http_url(raw) if raw.strip() else ""


def _session_secret(raw: str) -> str:
    value = raw.strip()
    if value and len(value) < 32:
        raise ValueError("use at least 32 random characters (or leave empty to generate one)")
    return value


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


@dataclass(frozen=True)
class Setting:
    """One variable: its name without prefix, how to parse it, its default."""

    name: str
    parse: Callable[[str], Any]
    default: Callable[[Path, str], str]
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        _database_url,
        lambda var, svc: f"sqlite:///{var}/{svc}.sqlite3",
        "the service's own database (SQLite file or PostgreSQL)",
    ),
    Setting(
        "AUTH_DATABASE_URL",
        _database_url,
        lambda var, svc: f"sqlite:///{var}/auth.sqlite3",
        "API tokens, shared by all services",
    ),
    Setting(
        "BROKER_URL",
        _broker_url,
        lambda var, svc: f"filesystem://{var}/queue",
        "message bus: RabbitMQ (amqp://) or the kombu filesystem transport",
    ),
    Setting(
        "S3_ENDPOINT",
        _http_url,
        lambda var, svc: f"http://127.0.0.1:{DEFAULT_S3_PORT}",
        "S3 server (SeaweedFS embedded, MinIO in production)",
    ),
    Setting("S3_ACCESS_KEY", _text, lambda var, svc: "vanthu", "S3 access key"),
    Setting("S3_SECRET_KEY", _text, lambda var, svc: "vanthu-dev-secret", "S3 secret key"),
    Setting("S3_BUCKET", _text, lambda var, svc: "vanthu-archive", "bucket for kept files"),
    Setting("HOST", _text, lambda var, svc: "127.0.0.1", "HTTP listen address"),
    Setting("PORT", _int(1, 65535), lambda var, svc: str(DEFAULT_PORTS[svc]), "HTTP port"),
    Setting("WEB_WORKERS", _int(1, 64), lambda var, svc: "2", "gunicorn worker processes"),
    Setting("LOG_LEVEL", _choice(*LOG_LEVELS), lambda var, svc: "INFO", "log level"),
    Setting(
        "MAX_BODY_BYTES",
        _int(1024, 1 << 30),
        lambda var, svc: str(32 << 20),
        "largest request body accepted (bytes)",
    ),
    Setting(
        "RETRY_ATTEMPTS",
        _int(1, 100),
        lambda var, svc: "5",
        "deliveries of a failing message before it goes to the dead-letter queue",
    ),
    Setting(
        "RETRY_BACKOFF_SECONDS",
        _int(0, 3600),
        lambda var, svc: "2",
        "first retry delay; doubles with each attempt",
    ),
    Setting(
        "READY_TIMEOUT_SECONDS",
        _int(1, 60),
        lambda var, svc: "2",
        "how long /readyz waits for each dependency",
    ),
    # archive (issue 5): Thời hạn bảo quản, giới hạn tệp, chỉ lưu bản đã ký, kiểm tra toàn vẹn.
    Setting(
        "ARCHIVE_MAX_UPLOAD_BYTES",
        _int(1024, 1 << 30),
        lambda var, svc: str(50 << 20),
        "largest file the archive accepts (bytes) / dung lượng tệp tối đa lưu trữ nhận",
    ),
    Setting(
        "ARCHIVE_SIGNED_ONLY",
        _bool,
        lambda var, svc: "false",
        "keep only signed PDFs; unsigned finals are acknowledged and dropped "
        "/ chỉ lưu tệp PDF đã ký số",
    ),
    Setting(
        "ARCHIVE_DEFAULT_RETENTION_YEARS",
        _int(1, 500),
        lambda var, svc: "10",
        "retention (years) of a document type the schedule does not name "
        "/ thời hạn bảo quản mặc định (năm)",
    ),
    Setting(
        "ARCHIVE_RETENTION_SCHEDULE",
        _optional_text,
        lambda var, svc: "",
        "JSON file mapping type names to years or \"Vĩnh viễn\" (empty: the packaged one) "
        "/ bảng thời hạn bảo quản theo tên loại văn bản",
    ),
    Setting(
        "SIGNATURE_TRUST_ROOTS",
        _optional_text,
        lambda var, svc: "",
        "PEM files of the root certificates trusted for signatures (docgen's signed "
        "copies, the archive), separated by ',' / chứng thư số gốc tin cậy để xác minh chữ ký",
    ),
    Setting(
        "ARCHIVE_FIXITY_INTERVAL_SECONDS",
        _int(0, 366 * 86400),
        lambda var, svc: "86400",
        "how often the archive worker re-hashes every kept file (0: never) "
        "/ chu kỳ kiểm tra toàn vẹn tệp lưu trữ",
    ),
    Setting(
        "EXCHANGE_REQUIRE_SIGNED",
        _bool,
        lambda var, svc: "true",
        "send documents to the e-office system only once signed (false: the final PDF "
        "goes as rendered) / chỉ gửi văn bản đã ký số",
    ),
    Setting(
        "EDXML_MAX_PACKET_BYTES",
        _int(1024, 1 << 30),
        lambda var, svc: str(40 << 20),
        "largest incoming edXML packet accepted / dung lượng tối đa của gói tin đến",
    ),
    # intake web pages (issue: trang web văn thư, người dùng, phiên, nhật ký).
    Setting(
        "SESSION_SECRET",
        _session_secret,
        lambda var, svc: "",
        "signs the web pages' session cookie (empty: generated once into "
        "var/session-secret) / khóa ký cookie phiên đăng nhập",
    ),
    Setting(
        "PUBLIC_URL",
        _optional_http_url,
        lambda var, svc: "",
        "the address people reach the web pages at (e.g. https://vanthu.example.gov.vn); "
        "https makes the session cookie Secure / địa chỉ công khai của trang web",
    ),
    Setting(
        "TRUSTED_PROXY_HOPS",
        _int(0, 5),
        lambda var, svc: "0",
        "reverse proxies in front of the services (ingress, load balancer) whose "
        "X-Forwarded-For/-Proto are believed; 0: none, the connection's address is the "
        "client's / số lớp proxy tin cậy",
    ),
    Setting(
        "DOCGEN_URL",
        _http_url,
        lambda var, svc: f"http://127.0.0.1:{DEFAULT_PORTS['docgen']}",
        "docgen's base URL, called by the web pages / địa chỉ dịch vụ docgen",
    ),
    Setting(
        "ARCHIVE_URL",
        _http_url,
        lambda var, svc: f"http://127.0.0.1:{DEFAULT_PORTS['archive']}",
        "archive's base URL, called by the web pages / địa chỉ dịch vụ lưu trữ",
    ),
    Setting(
        "INTAKE_URL",
        _http_url,
        lambda var, svc: f"http://127.0.0.1:{DEFAULT_PORTS['intake']}",
        "intake's base URL, called by the web pages / địa chỉ dịch vụ intake",
    ),
)

# Variables that belong to the tooling rather than to a service.
TOOLING_VARIABLES = frozenset(
    {
        "VAR_DIR",
        "REFERENCE_DIR",
        "REQUIRE_REFERENCE",
        "TEST_POSTGRES_URL",
        "TEST_RABBITMQ_URL",
        "ARTEFACTS_DIR",
        "FUZZ_EXAMPLES",
    }
)


@dataclass(frozen=True)
class Config:
    """The validated settings of one service."""

    service: str
    var_dir: Path
    database_url: str
    auth_database_url: str
    broker_url: str
    s3_endpoint: str
    s3_access_key: str
    s3_secret_key: str
    s3_bucket: str
    host: str
    port: int
    web_workers: int
    log_level: str
    max_body_bytes: int
    retry_attempts: int
    retry_backoff_seconds: int
    ready_timeout_seconds: int
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    archive_max_upload_bytes: int = 50 << 20
    archive_signed_only: bool = False
    archive_default_retention_years: int = 10
    archive_retention_schedule: str = ""
    signature_trust_roots: str = ""
    archive_fixity_interval_seconds: int = 86400
    exchange_require_signed: bool = True
    edxml_max_packet_bytes: int = 40 << 20
    session_secret: str = ""
    public_url: str = ""
    trusted_proxy_hops: int = 0
    docgen_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['docgen']}"
    archive_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['archive']}"
    intake_url: str = f"http://127.0.0.1:{DEFAULT_PORTS['intake']}"

    @property
    def trust_root_paths(self) -> list[Path]:
        """The PEM files named by VANTHU_SIGNATURE_TRUST_ROOTS (',' or ':' between them)."""
        return [Path(p.strip()) for p in re.split(r"[,:]", self.signature_trust_roots) if p.strip()]

    @property
    def s3_secure(self) -> bool:
        return self.s3_endpoint.startswith("https://")

    def replace(self, **changes: Any) -> Config:
        values = {f: getattr(self, f) for f in self.__dataclass_fields__}
        values.update(changes)
        return Config(**values)


def default_var_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    raw = env.get(PREFIX + "VAR_DIR")
    return Path(raw).resolve() if raw else (Path.cwd() / "var").resolve()


def load(service: str, environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate the settings of ``service``; raise ConfigError on the first bad one."""
    if service not in SERVICES:
        raise ConfigError("service", f"unknown service {service!r}; expected one of {SERVICES}")
    env = os.environ if environ is None else environ
    var_dir = default_var_dir(env)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for setting in SETTINGS:
        names = [f"{PREFIX}{service.upper()}_{setting.name}", f"{PREFIX}{setting.name}"]
        variable = next((n for n in names if n in env), None)
        raw = env[variable] if variable else setting.default(var_dir, service)
        try:
            values[setting.name.lower()] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(variable or names[-1], str(exc)) from None
        sources[setting.name] = variable or "default"
    return Config(service=service, var_dir=var_dir, sources=sources, **values)


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """``VANTHU_*`` variables that no setting reads: usually a typo worth a warning."""
    env = os.environ if environ is None else environ
    known = {s.name for s in SETTINGS} | TOOLING_VARIABLES
    known |= {f"{svc.upper()}_{s.name}" for svc in SERVICES for s in SETTINGS}
    return sorted(
        name for name in env if name.startswith(PREFIX) and name[len(PREFIX) :] not in known
    )


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) rows for the README and ``vanthu config``."""
    rows = []
    for setting in SETTINGS:
        if setting.name == "PORT":
            default = "/".join(str(DEFAULT_PORTS[svc]) for svc in SERVICES)
        else:
            default = setting.default(Path("var"), "{service}")
        rows.append((PREFIX + setting.name, default, setting.doc))
    return rows
