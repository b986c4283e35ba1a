"""Locking the embedded SeaweedFS's own ports to the process that runs it.

Its master, volume and filer talk gRPC on loopback, and without configuration
anyone on the machine may call them: ``weed shell`` then deletes a bucket, its
object-locked versions included, past the S3 gateway that enforces the lock.
Here every gRPC port requires a client certificate (mutual TLS) from a CA made
for this one start, and the volume and filer servers require JWTs signed with
keys made for this start, for writes and for reads. The certificates live in
``<data>/security/`` (0700; the key files 0600 from their first byte) and the
keys reach ``weed`` only through its environment (``WEED_*``, which weed's
configuration loader reads like its security.toml), which other users cannot
see. A local user without the certificates gets no answer.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# weed's gRPC parties; the S3 gateway and ``weed shell`` connect as "client".
_PARTIES = ("MASTER", "VOLUME", "FILER", "S3", "CLIENT")
_VALID = dt.timedelta(days=3650)


def security_environment(data_dir: Path) -> dict[str, str]:
    """Fresh certificates and JWT keys for one start of weed, as its environment."""
    folder = Path(data_dir) / "security"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("vanthu SeaweedFS CA", ca_key, ca_key, None, authority=True)
    node_key = ec.generate_private_key(ec.SECP256R1())
    node = _certificate("localhost", node_key, ca_key, ca, authority=False)
    ca_path, cert_path, key_path = folder / "ca.crt", folder / "node.crt", folder / "node.key"
    _write(ca_path, ca.public_bytes(serialization.Encoding.PEM))
    _write(cert_path, node.public_bytes(serialization.Encoding.PEM))
    _write(
        key_path,
        node_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    env = {
        "WEED_GRPC_CA": str(ca_path),
        "WEED_JWT_SIGNING_KEY": secrets.token_urlsafe(32),
        "WEED_JWT_SIGNING_READ_KEY": secrets.token_urlsafe(32),
        "WEED_JWT_FILER_SIGNING_KEY": secrets.token_urlsafe(32),
        "WEED_JWT_FILER_SIGNING_READ_KEY": secrets.token_urlsafe(32),
    }
    for party in _PARTIES:
        env[f"WEED_GRPC_{party}_CERT"] = str(cert_path)
        env[f"WEED_GRPC_{party}_KEY"] = str(key_path)
    return env


def _certificate(
    name: str,
    key: ec.EllipticCurvePrivateKey,
    signer: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None,
    *,
    authority: bool,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + _VALID)
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
    )
    if not authority:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        ).add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
    return builder.sign(signer, hashes.SHA256())


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``, readable by its owner only from the first byte."""
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(partial, path)
