"""Hashes for the audit log: SM3 (GB/T 32905) through `cryptography`, or SHA-256."""

from cryptography.hazmat.primitives import hashes

ALGORITHMS = {"sm3": hashes.SM3, "sha256": hashes.SHA256}


def digest_hex(algorithm: str, data: bytes) -> str:
    try:
        hasher = hashes.Hash(ALGORITHMS[algorithm]())
    except KeyError as exc:
        raise ValueError(f"不支持的哈希算法：{algorithm}（可选 sm3、sha256）") from exc
    hasher.update(data)
    return hasher.finalize().hex()
