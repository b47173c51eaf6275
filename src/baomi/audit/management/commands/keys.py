"""`baomi keys init | rotate | export-public`: the deployment's key files (issue 10).

init           generate every missing key (Django secret, file key, Ed25519 signing key) with
               mode 0600 in a 0700 folder; keys that exist are left as they are.
rotate         re-encrypt every attachment under a new file key; the old key goes to
               `keys/retired/` once every blob is re-encrypted (backups taken before still restore).
export-public  print the signing key's verifier key (C2SP note format) for a superior unit.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from baomi.lib import filestore, keyfiles


def key_paths() -> dict[str, Path]:
    """The key files this deployment reads; a key injected through the environment has none."""
    paths = {"signing": Path(settings.BAOMI_SIGNING_KEY_FILE)}
    if "BAOMI_SECRET_KEY" not in os.environ:
        paths["secret"] = Path(settings.BAOMI_SECRET_KEY_FILE)
    if not (getattr(settings, "BAOMI_FILE_KEY", "") or os.environ.get("BAOMI_FILE_KEY")):
        paths["file"] = Path(settings.BAOMI_FILE_KEY_FILE)
    return paths


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    keyfiles.ensure_keys({"signing": path})
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CommandError(f"{path} 不是 Ed25519 私钥（PKCS8 PEM）")
    return key


def verifier_key(name: str, key: Ed25519PrivateKey) -> str:
    """C2SP signed-note verifier key: `<name>+<key hash hex>+<base64(0x01 || public key)>`,
    key hash = SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key_hash = hashlib.sha256(name.encode() + b"\n" + b"\x01" + public).digest()[:4]
    encoded = base64.b64encode(b"\x01" + public).decode()
    return f"{name}+{key_hash.hex()}+{encoded}"


class Command(BaseCommand):
    requires_system_checks = []
    help = "密钥文件：init 生成缺少的密钥；rotate 用新文件密钥重新加密全部附件；export-public 输出验证公钥。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        sub.add_parser("init", help="生成缺少的密钥（Django 密钥、文件密钥、签名密钥），权限 0600")
        sub.add_parser("rotate", help="生成新文件密钥并重新加密全部附件")
        export = sub.add_parser("export-public", help="输出签名密钥的验证公钥（C2SP 格式）")
        export.add_argument(
            "--name", default=None, help="密钥名称，默认为日志名称（BAOMI_AUDIT_ORIGIN）"
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "init":
            self.init()
        elif subcommand == "rotate":
            self.rotate()
        else:
            name = options["name"] or getattr(settings, "BAOMI_AUDIT_ORIGIN", "baomi")
            key = load_signing_key(Path(settings.BAOMI_SIGNING_KEY_FILE))
            self.stdout.write(verifier_key(name, key))

    def init(self) -> None:
        paths = key_paths()
        written = set(keyfiles.ensure_keys(paths))
        for kind, path in paths.items():
            mode = stat.S_IMODE(path.stat().st_mode)
            state = "已生成" if path in written else "已存在，未改动"
            self.stdout.write(f"{LABELS[kind]}：{path}（{state}，权限 {mode:04o}）")
            if mode & 0o077:
                self.stderr.write(f"警告：{path} 可被其他用户读取，请执行 chmod 600 {path}")
        for env_name in ("BAOMI_SECRET_KEY", "BAOMI_FILE_KEY"):
            if os.environ.get(env_name):
                self.stdout.write(f"{env_name} 由环境变量提供，未生成文件。")

    def rotate(self) -> None:
        try:
            done, failed = filestore.rotate(report=self.stderr.write)
        except filestore.FileStoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"文件密钥已轮换：{done} 个附件已用新密钥重新加密。")
            + " 旧密钥保存在 keys/retired/，用于恢复轮换前的备份。"
        )
        if failed:
            self.stderr.write(f"{len(failed)} 个附件无法解密，未能重新加密：{'、'.join(failed)}")
            sys.exit(1)


LABELS = {"secret": "Django 密钥", "file": "文件密钥", "signing": "签名密钥（Ed25519）"}
