"""verify_command: JSON on stdout, reasons on stderr, exit codes 0 / 1 / 2."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

from shared.signatures.cli import add_arguments, run, verify_command
from tests.support.pki import LEADER_NAME


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _verify(path: str, roots: list[str]) -> tuple[int, dict, str]:
    out, err = io.StringIO(), io.StringIO()
    code = verify_command(path, trust_roots=roots, json_out=out, err_out=err)
    return code, json.loads(out.getvalue()) if out.getvalue() else {}, err.getvalue()


def test_valid_file(tmp_path: Path, signed_twice: bytes, root_pem: bytes) -> None:
    pdf = _write(tmp_path, "signed.pdf", signed_twice)
    code, report, err = _verify(pdf, [_write(tmp_path, "root.pem", root_pem)])
    assert (code, err) == (0, "")
    assert report["file"] == pdf
    assert report["sha256"] == hashlib.sha256(signed_twice).hexdigest()
    assert report["size"] == len(signed_twice)
    assert report["status"] == "valid"
    first = report["signatures"][0]
    assert set(first) == {
        "field_name", "signer_name", "subject", "subject_cn", "subject_o", "issuer", "serial",
        "signing_time", "timestamp_time", "intact", "trusted", "coverage",
        "modification_level", "problems", "reasons", "status",
    }
    assert first["signer_name"] == LEADER_NAME


def test_untrusted_and_unsigned_exit_zero(
    tmp_path: Path, issued: bytes, signed_once: bytes
) -> None:
    code, report, _ = _verify(_write(tmp_path, "a.pdf", signed_once), [])
    assert (code, report["status"]) == (0, "untrusted")
    code, report, _ = _verify(_write(tmp_path, "b.pdf", issued), [])
    assert (code, report["status"], report["signatures"]) == (0, "unsigned", [])


def test_broken_exits_one(tmp_path: Path, signed_once: bytes, root_pem: bytes) -> None:
    tampered = bytearray(signed_once)
    tampered[11] ^= 0x01
    code, report, _ = _verify(
        _write(tmp_path, "t.pdf", bytes(tampered)), [_write(tmp_path, "root.pem", root_pem)]
    )
    assert (code, report["status"]) == (1, "broken")
    assert report["signatures"][0]["problems"] == ["digest_mismatch"]


def test_refused_file_exits_two(tmp_path: Path) -> None:
    code, report, err = _verify(_write(tmp_path, "x.pdf", b"<html>not a pdf</html>"), [])
    assert (code, report) == (2, {})
    assert "[not_pdf] Tệp không phải là tài liệu PDF." in err
    code, _, err = _verify(str(tmp_path / "missing.pdf"), [])
    assert code == 2
    assert "missing.pdf" in err


def test_bad_trust_root_exits_two(tmp_path: Path, signed_once: bytes) -> None:
    pdf = _write(tmp_path, "a.pdf", signed_once)
    code, _, err = _verify(pdf, [_write(tmp_path, "root.pem", b"garbage")])
    assert code == 2
    assert err.startswith("Không đọc được chứng thư số gốc")


def test_argparse_wiring(tmp_path: Path, signed_once: bytes, root_pem: bytes) -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    root = _write(tmp_path, "root.pem", root_pem)
    args = parser.parse_args([_write(tmp_path, "a.pdf", signed_once), "--trust-root", root])
    assert (args.trust_root, args.allow_fetching) == ([root], False)
    assert run(args) == 0


def test_in_a_subprocess(tmp_path: Path, signed_once: bytes, root_pem: bytes) -> None:
    pdf = _write(tmp_path, "a.pdf", signed_once)
    root = _write(tmp_path, "root.pem", root_pem)
    code = (
        "import sys; from shared.signatures.cli import verify_command; "
        f"sys.exit(verify_command({pdf!r}, trust_roots=[{root!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "valid"
