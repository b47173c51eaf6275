"""RFC 9162 Merkle tree hashing, proofs and their verification (§2.1), over SM3 or SHA-256.

Leaf hash = H(0x00 || leaf), node hash = H(0x01 || left || right): the distinct prefixes keep a
leaf from ever passing for a node (second-preimage attacks). The tree over n leaves splits at the
largest power of two below n, so the left part is always a perfect tree; `Frontier` keeps the roots
of those perfect subtrees so the sequencer extends the tree in O(log n) per leaf and never reads
the old leaves again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cryptography.hazmat.primitives import hashes

from baomi.lib.crypto import ALGORITHMS

Hasher = Callable[[bytes], bytes]


def hasher(algorithm: str) -> Hasher:
    """A function bytes -> digest for the named algorithm (sm3 or sha256)."""
    try:
        kind = ALGORITHMS[algorithm]
    except KeyError as exc:
        raise ValueError(f"不支持的哈希算法：{algorithm}（可选 sm3、sha256）") from exc

    def digest(data: bytes) -> bytes:
        h = hashes.Hash(kind())
        h.update(data)
        return h.finalize()

    return digest


class Tree:
    """Hashing rules of one tree: which hash, with RFC 9162's prefixes."""

    def __init__(self, algorithm: str):
        self.algorithm = algorithm
        self.h = hasher(algorithm)
        # Copying a hash already fed its prefix is cheaper than starting a new one, and saves
        # concatenating a copy of every leaf (verify hashes each leaf and node once).
        self.prefixed_leaf = hashes.Hash(ALGORITHMS[algorithm]())
        self.prefixed_leaf.update(b"\x00")
        self._node = hashes.Hash(ALGORITHMS[algorithm]())
        self._node.update(b"\x01")

    def leaf(self, data: bytes) -> bytes:
        h = self.prefixed_leaf.copy()
        h.update(data)
        return h.finalize()

    def node(self, left: bytes, right: bytes) -> bytes:
        h = self._node.copy()
        h.update(left + right)
        return h.finalize()

    def empty_root(self) -> bytes:
        return self.h(b"")

    # --- whole-tree computations over known leaf hashes (§2.1.1) ---------------------------------

    def root(self, leaves: Sequence[bytes]) -> bytes:
        """MTH(D[n]) from the leaf hashes, without recursion (via a frontier)."""
        frontier = Frontier(self)
        for leaf_hash in leaves:
            frontier.append(leaf_hash)
        return frontier.root()

    def inclusion_proof(self, index: int, leaves: Sequence[bytes]) -> list[bytes]:
        """PATH(m, D[n]) (§2.1.3.1): the audit path of leaf `index` in the tree of `leaves`."""
        if not 0 <= index < len(leaves):
            raise ValueError("叶子序号超出树的范围")
        return self._path(index, leaves)

    def _path(self, m: int, leaves: Sequence[bytes]) -> list[bytes]:
        n = len(leaves)
        if n == 1:
            return []
        k = split(n)
        if m < k:
            return [*self._path(m, leaves[:k]), self.root(leaves[k:])]
        return [*self._path(m - k, leaves[k:]), self.root(leaves[:k])]

    def consistency_proof(self, m: int, leaves: Sequence[bytes]) -> list[bytes]:
        """PROOF(m, D[n]) (§2.1.4.1): shows that the first m leaves are a prefix of the n."""
        n = len(leaves)
        if not 0 < m <= n:
            raise ValueError("一致性证明要求 0 < m ≤ n")
        if m == n:
            return []
        return self._subproof(m, leaves, True)

    def _subproof(self, m: int, leaves: Sequence[bytes], complete: bool) -> list[bytes]:
        n = len(leaves)
        if m == n:
            return [] if complete else [self.root(leaves)]
        k = split(n)
        if m <= k:
            return [*self._subproof(m, leaves[:k], complete), self.root(leaves[k:])]
        return [*self._subproof(m - k, leaves[k:], False), self.root(leaves[:k])]

    # --- verification by someone who holds only roots (§2.1.3.2, §2.1.4.2) -----------------------

    def verify_inclusion(
        self, index: int, size: int, leaf_hash: bytes, path: Sequence[bytes], root: bytes
    ) -> bool:
        if index >= size:
            return False
        fn, sn, r = index, size - 1, leaf_hash
        for p in path:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                r = self.node(p, r)
                if not fn & 1:
                    while fn and not fn & 1:
                        fn >>= 1
                        sn >>= 1
            else:
                r = self.node(r, p)
            fn >>= 1
            sn >>= 1
        return sn == 0 and r == root

    def verify_consistency(
        self, first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
    ) -> bool:
        if first > second or first == 0:
            return False
        if first == second:
            return not proof and first_root == second_root
        if not proof:
            return False
        path = list(proof)
        if first & (first - 1) == 0:  # a power of two: the old root is itself a node on the path
            path.insert(0, first_root)
        fn, sn = first - 1, second - 1
        while fn & 1:
            fn >>= 1
            sn >>= 1
        fr = sr = path[0]
        for c in path[1:]:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                fr = self.node(c, fr)
                sr = self.node(c, sr)
                if not fn & 1:
                    while fn and not fn & 1:
                        fn >>= 1
                        sn >>= 1
            else:
                sr = self.node(sr, c)
            fn >>= 1
            sn >>= 1
        return fr == first_root and sr == second_root and sn == 0


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where RFC 9162 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


class Frontier:
    """The roots of the perfect subtrees a tree of `size` leaves decomposes into, largest first.

    Appending a leaf merges equal-height subtrees like a binary counter; `root()` folds them from
    the right, which is exactly MTH for RFC 9162's left-perfect split."""

    def __init__(self, tree: Tree, size: int = 0, hashes_: Sequence[bytes] = ()):
        self.tree = tree
        self.size = size
        self.hashes = list(hashes_)
        if len(self.hashes) != size.bit_count():
            raise ValueError("树的边界与大小不符")

    def append(self, leaf_hash: bytes) -> None:
        node = leaf_hash
        size = self.size
        while size & 1:  # the lowest subtree has the same height: merge
            node = self.tree.node(self.hashes.pop(), node)
            size >>= 1
        self.hashes.append(node)
        self.size += 1

    def append_subtree(self, node: bytes, height: int) -> None:
        """Append a perfect subtree of 2**height leaves whose root is `node`; the tree's size
        must be a multiple of 2**height (the subtree starts on its own boundary)."""
        if self.size & ((1 << height) - 1):
            raise ValueError("子树不在其边界上")
        size = self.size >> height
        while size & 1:
            node = self.tree.node(self.hashes.pop(), node)
            size >>= 1
        self.hashes.append(node)
        self.size += 1 << height

    def root(self) -> bytes:
        if not self.hashes:
            return self.tree.empty_root()
        node = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            node = self.tree.node(left, node)
        return node
