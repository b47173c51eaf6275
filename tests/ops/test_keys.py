"""Keys (issue 10, item 5): generated key files, SM4-GCM attachments, rotation, refusal of
public keys in production mode."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.management import call_command

from baomi.lib import filestore, keyfiles

SRC = Path(__file__).resolve().parents[2] / "src"
# The SECRET_KEY default that earlier versions shipped in settings.py.
OLD_DEFAULT_SECRET = "baomi-dev-only-not-for-production-7d1f0c"


@pytest.fixture
def keys_dir(tmp_path, settings):
    folder = tmp_path / "keys"
    settings.BAOMI_SECRET_KEY_FILE = folder / keyfiles.SECRET_KEY_NAME
    settings.BAOMI_FILE_KEY_FILE = folder / keyfiles.FILE_KEY_NAME
    settings.BAOMI_SIGNING_KEY_FILE = folder / keyfiles.SIGNING_KEY_NAME
    settings.BAOMI_FILE_KEY = ""
    settings.BAOMI_FILE_DIR = tmp_path / "files"
    return folder


def test_keys_init_writes_three_private_key_files(keys_dir, capsys, monkeypatch):
    monkeypatch.delenv("BAOMI_SECRET_KEY", raising=False)
    monkeypatch.delenv("BAOMI_FILE_KEY", raising=False)
    call_command("keys", "init")
    assert stat.S_IMODE(keys_dir.stat().st_mode) == 0o700
    names = sorted(p.name for p in keys_dir.iterdir())
    assert names == ["django-secret", "file-key", "signing-ed25519.pem"]
    for path in keys_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.b64decode((keys_dir / "file-key").read_text())) == 32
    pem = (keys_dir / "signing-ed25519.pem").read_bytes()
    assert isinstance(serialization.load_pem_private_key(pem, None), Ed25519PrivateKey)
    before = {p.name: p.read_bytes() for p in keys_dir.iterdir()}
    call_command("keys", "init")  # a second run changes nothing
    assert before == {p.name: p.read_bytes() for p in keys_dir.iterdir()}
    assert "已存在" in capsys.readouterr().out


def test_keys_export_public_is_a_c2sp_verifier_key(keys_dir, capsys):
    call_command("keys", "export-public", "--name", "example.gov/baomi")
    vkey = capsys.readouterr().out.strip()
    name, key_hash, encoded = vkey.split("+", 2)
    raw = base64.b64decode(encoded)
    assert name == "example.gov/baomi" and raw[0] == 1 and len(raw) == 33
    assert bytes.fromhex(key_hash) == hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    private = serialization.load_pem_private_key(
        (keys_dir / "signing-ed25519.pem").read_bytes(), None
    )
    assert raw[1:] == private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def test_attachments_are_sm4_gcm_by_default_and_aes_selectable(keys_dir, settings):
    blob = filestore.save(b"secret text")
    raw = filestore.raw_path(blob).read_bytes()
    assert raw[:5] == b"BMF2" + bytes([filestore.SM4_GCM]) and b"secret" not in raw
    assert filestore.read(blob) == b"secret text"
    settings.BAOMI_FILE_CIPHER = "aes256"
    other = filestore.save(b"other text")
    assert filestore.raw_path(other).read_bytes()[4] == filestore.AES_256_GCM
    # Both stay readable whichever cipher is configured now.
    assert filestore.read(blob) == b"secret text" and filestore.read(other) == b"other text"


def test_v1_attachments_still_decrypt(keys_dir, settings):
    """A blob written by the previous format (AES-GCM, key derived from SECRET_KEY)."""
    derived = HKDF(hashes.SHA256(), 32, None, b"baomi-filestore-v1").derive(
        settings.SECRET_KEY.encode()
    )
    blob = "ab" + "0" * 30
    nonce = os.urandom(12)
    filestore.write_raw(
        blob, b"BMF1" + nonce + AESGCM(derived).encrypt(nonce, b"old", blob.encode())
    )
    assert filestore.read(blob) == b"old"


def test_a_stolen_database_or_file_store_alone_reveals_no_attachment(keys_dir, settings):
    """Everything an attacker has without the key folder: the blob id (database), the blob
    (file store) and every value of the repository — the old default secret included."""
    blob = filestore.save(b"confidential attachment")
    raw = filestore.raw_path(blob).read_bytes()
    public_values = [OLD_DEFAULT_SECRET, "", "baomi", blob]
    header, nonce, body = raw[:9], raw[9:21], raw[21:]
    for value in public_values:
        guess = HKDF(hashes.SHA256(), 32, None, b"baomi-filestore-v1").derive(value.encode())
        for cipher in (filestore.SM4_GCM, filestore.AES_256_GCM):
            key = filestore.cipher_key(guess, cipher)
            with pytest.raises((InvalidTag, filestore.FileStoreError)):
                filestore.open_sealed(blob, raw, {raw[5:9]: guess})
            if cipher == filestore.AES_256_GCM:
                with pytest.raises(InvalidTag):
                    AESGCM(key).decrypt(nonce, body, blob.encode() + header)
    # And the key itself is nowhere in the file store or the database's values.
    file_key = base64.b64decode((keys_dir / "file-key").read_text())
    assert file_key not in raw and keyfiles.key_id(file_key) == raw[5:9]


def test_keys_rotate_reencrypts_every_attachment_and_retires_the_old_key(keys_dir, capsys):
    blobs = {filestore.save(f"file {i}".encode()): f"file {i}".encode() for i in range(5)}
    old_key = (keys_dir / "file-key").read_text()
    old_raw = {b: filestore.raw_path(b).read_bytes() for b in blobs}
    call_command("keys", "rotate")
    new_key = (keys_dir / "file-key").read_text()
    assert new_key != old_key and not (keys_dir / "file-key.next").exists()
    new_id = keyfiles.key_id(base64.b64decode(new_key))
    for blob, plain in blobs.items():
        raw = filestore.raw_path(blob).read_bytes()
        assert raw != old_raw[blob] and raw[5:9] == new_id
        assert filestore.read(blob) == plain
    retired = list((keys_dir / "retired").iterdir())
    assert [p.read_text().strip() for p in retired] == [old_key.strip()]
    assert stat.S_IMODE(retired[0].stat().st_mode) == 0o600
    # Without the retired key the old ciphertext (e.g. in an older backup) no longer opens.
    with pytest.raises(filestore.FileStoreError):
        filestore.open_sealed(
            next(iter(blobs)), old_raw[next(iter(blobs))], {new_id: base64.b64decode(new_key)}
        )
    assert "5 个附件" in capsys.readouterr().out


def test_keys_rotate_resumes_after_an_interruption(keys_dir, monkeypatch):
    blobs = [filestore.save(b"a"), filestore.save(b"b")]
    real_write = filestore.write_raw
    calls = []

    def failing_write(blob, raw):
        calls.append(blob)
        if len(calls) == 2:
            raise OSError("disk full")
        real_write(blob, raw)

    monkeypatch.setattr(filestore, "write_raw", failing_write)
    with pytest.raises(OSError):
        call_command("keys", "rotate")
    monkeypatch.setattr(filestore, "write_raw", real_write)
    # Half done: both keys are on disk and every blob still reads.
    assert (keys_dir / "file-key.next").exists()
    assert [filestore.read(b) for b in blobs] == [b"a", b"b"]
    call_command("keys", "rotate")
    assert not (keys_dir / "file-key.next").exists()
    assert [filestore.read(b) for b in blobs] == [b"a", b"b"]


def _baomi(env_extra: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BAOMI_", "PYTEST")) and k != "DATABASE_URL"
    }
    env.update(
        PYTHONPATH=str(SRC),
        BAOMI_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="baomi.settings",
        **env_extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "baomi.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_the_old_default_secret_key(tmp_path):
    done = _baomi({"BAOMI_SECRET_KEY": OLD_DEFAULT_SECRET}, tmp_path)
    assert done.returncode == 2
    assert "拒绝启动" in done.stderr and "SECRET_KEY" in done.stderr and "源代码" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_mode_refuses_an_empty_key(tmp_path):
    done = _baomi({"BAOMI_SECRET_KEY": ""}, tmp_path)
    assert done.returncode == 2 and "为空" in done.stderr
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "file-key").write_text("")
    done = _baomi({"BAOMI_FILE_KEY_FILE": str(tmp_path / "keys" / "file-key")}, tmp_path)
    assert done.returncode == 2 and "文件密钥" in done.stderr and "为空" in done.stderr


def test_production_mode_refuses_a_file_key_from_the_source_tree(tmp_path):
    # This very file is part of the source tree: a key copied from it is public.
    leaked = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI="
    done = _baomi({"BAOMI_FILE_KEY": leaked}, tmp_path)
    assert done.returncode == 2 and "文件密钥" in done.stderr and "源代码" in done.stderr


def test_production_mode_starts_with_generated_keys(tmp_path):
    done = _baomi({}, tmp_path)
    assert done.returncode == 0, done.stderr
    keys = tmp_path / "var" / "keys"
    assert sorted(p.name for p in keys.iterdir()) == [
        "django-secret",
        "file-key",
        "signing-ed25519.pem",
    ]
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
