"""A throw-away PKI for signing tests: root CA → issuing CA → leader and body certificates.

Everything is built in memory with ``cryptography`` (RSA 2048, SHA-256) and cached for the
process, so a test session pays for the keys once. ``sign_pdf`` signs incrementally with
pyHanko (PAdES baseline, timestamp optional), so signing twice leaves two signatures in the file:
the leader's, then the body's, as Decree 30 has it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import Literal

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

SignerKind = Literal["leader", "body"]

LEADER_NAME = "Nguyễn Văn A"
BODY_NAME = "UBND huyện Sông Hình"
PROVINCE = "Phú Yên"


@dataclass(frozen=True)
class Party:
    """A certificate with its private key."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        """The certificate in PEM, as a trust-root file would hold it."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        """The certificate in DER."""
        return self.certificate.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class Pki:
    """A root CA, the issuing CA under it, the two signers of a document and a TSA."""

    root: Party
    issuing: Party
    leader: Party
    body: Party
    tsa: Party

    def signer(self, kind: SignerKind) -> Party:
        """The leader's (person) or the body's (organisation) certificate and key."""
        return self.leader if kind == "leader" else self.body


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])


def _certificate(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: Party | None,
    *,
    ca: bool,
    time_stamping: bool = False,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * (10 if ca else 2)))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if time_stamping:
        # RFC 3161 § 2.3: a TSA certificate carries only this purpose, marked critical.
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    elif not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION]
            ),
            critical=False,
        )
    return builder.sign(signing_key, hashes.SHA256())


def _party(
    subject: x509.Name, issuer: Party | None, *, ca: bool = False, time_stamping: bool = False
) -> Party:
    key = _key()
    return Party(_certificate(subject, key, issuer, ca=ca, time_stamping=time_stamping), key)


def build_pki(label: str = "Test") -> Pki:
    """A fresh PKI; ``label`` goes into the CA names so two PKIs are told apart."""
    root = _party(
        _name((NameOID.COUNTRY_NAME, "VN"), (NameOID.COMMON_NAME, f"{label} Root CA")),
        None,
        ca=True,
    )
    issuing = _party(
        _name((NameOID.COUNTRY_NAME, "VN"), (NameOID.COMMON_NAME, f"{label} Issuing CA")),
        root,
        ca=True,
    )
    leader = _party(
        _name(
            (NameOID.COUNTRY_NAME, "VN"),
            (NameOID.STATE_OR_PROVINCE_NAME, PROVINCE),
            (NameOID.ORGANIZATION_NAME, BODY_NAME),
            (NameOID.TITLE, "Chủ tịch"),
            (NameOID.COMMON_NAME, LEADER_NAME),
        ),
        issuing,
    )
    body = _party(
        _name(
            (NameOID.COUNTRY_NAME, "VN"),
            (NameOID.STATE_OR_PROVINCE_NAME, PROVINCE),
            (NameOID.ORGANIZATION_NAME, BODY_NAME),
            (NameOID.COMMON_NAME, BODY_NAME),
        ),
        issuing,
    )
    tsa = _party(
        _name((NameOID.COUNTRY_NAME, "VN"), (NameOID.COMMON_NAME, f"{label} TSA")),
        issuing,
        time_stamping=True,
    )
    return Pki(root=root, issuing=issuing, leader=leader, body=body, tsa=tsa)


@cache
def default_pki() -> Pki:
    """The PKI the suite signs with (built once per process)."""
    return build_pki("Vanthu Test")


@cache
def stranger_pki() -> Pki:
    """An unrelated PKI: its root vouches for nothing ``default_pki`` signed."""
    return build_pki("Stranger")


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key: rsa.RSAPrivateKey) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


def sign_pdf(
    pdf_bytes: bytes,
    signer: SignerKind = "leader",
    field_name: str | None = None,
    *,
    pki: Pki | None = None,
    timestamp: bool = False,
) -> bytes:
    """Append one PAdES signature (invisible field, default ``Sig_<signer>``) to ``pdf_bytes``.

    With ``timestamp``, the PKI's TSA (an in-process stand-in, no network) stamps it.
    """
    pki = pki or default_pki()
    party = pki.signer(signer)
    chain = SimpleCertificateStore.from_certs(
        [_asn1(pki.issuing.certificate), _asn1(pki.root.certificate)]
    )
    cms_signer = signers.SimpleSigner(
        signing_cert=_asn1(party.certificate),
        signing_key=_asn1_key(party.key),
        cert_registry=chain,
    )
    timestamper = (
        DummyTimeStamper(_asn1(pki.tsa.certificate), _asn1_key(pki.tsa.key), chain)
        if timestamp
        else None
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name or f"Sig_{signer}",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    out = BytesIO()
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    signers.PdfSigner(meta, cms_signer, timestamper=timestamper).sign_pdf(writer, output=out)
    return out.getvalue()
