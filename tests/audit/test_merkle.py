"""The RFC 9162 Merkle tree (SEC-4): roots against the RFC's recursive definition and known
vectors, inclusion and consistency proofs generated and verified over many tree sizes, forged
proofs refused."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baomi.audit.merkle import Frontier, Tree

SHA = Tree("sha256")
SM3 = Tree("sm3")


# --- the reference: RFC 9162 §2.1.1 and §2.1.4.1 written as literally as possible -----------------


def ref_mth(tree: Tree, data: list[bytes]) -> bytes:
    n = len(data)
    if n == 0:
        return tree.h(b"")
    if n == 1:
        return tree.h(b"\x00" + data[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return tree.h(b"\x01" + ref_mth(tree, data[:k]) + ref_mth(tree, data[k:]))


def ref_path(tree: Tree, m: int, data: list[bytes]) -> list[bytes]:
    n = len(data)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*ref_path(tree, m, data[:k]), ref_mth(tree, data[k:])]
    return [*ref_path(tree, m - k, data[k:]), ref_mth(tree, data[:k])]


def ref_subproof(tree: Tree, m: int, data: list[bytes], b: bool) -> list[bytes]:
    n = len(data)
    if m == n:
        return [] if b else [ref_mth(tree, data)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*ref_subproof(tree, m, data[:k], b), ref_mth(tree, data[k:])]
    return [*ref_subproof(tree, m - k, data[k:], False), ref_mth(tree, data[:k])]


def entries(n: int) -> list[bytes]:
    return [f"entry-{i}".encode() for i in range(n)]


# Test vectors from RFC 6962's reference implementation (certificate-transparency merkle tests).
VECTOR_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
VECTOR_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


def test_known_roots_sha256():
    assert SHA.root([]) == hashlib.sha256(b"").digest()
    for size, root in VECTOR_ROOTS.items():
        leaves = [SHA.leaf(d) for d in VECTOR_LEAVES[:size]]
        assert SHA.root(leaves).hex() == root


def test_leaf_and_node_prefixes_differ():
    a, b = SHA.leaf(b"a"), SHA.leaf(b"b")
    assert SHA.leaf(a + b) != SHA.node(a, b)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 70), algorithm=st.sampled_from(["sm3", "sha256"]))
def test_root_and_frontier_match_the_rfc_definition(n, algorithm):
    tree = Tree(algorithm)
    data = entries(n)
    leaves = [tree.leaf(d) for d in data]
    assert tree.root(leaves) == ref_mth(tree, data)
    # A frontier rebuilt from its stored form (as the sequencer does) extends the same way.
    half = Frontier(tree)
    for leaf in leaves[: n // 2]:
        half.append(leaf)
    resumed = Frontier(tree, half.size, list(half.hashes))
    for leaf in leaves[n // 2 :]:
        resumed.append(leaf)
    assert resumed.root() == ref_mth(tree, data)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_inclusion_proofs_match_the_reference_and_verify(data):
    n = data.draw(st.integers(1, 80))
    m = data.draw(st.integers(0, n - 1))
    items = entries(n)
    leaves = [SM3.leaf(d) for d in items]
    root = SM3.root(leaves)
    path = SM3.inclusion_proof(m, leaves)
    assert path == ref_path(SM3, m, items)
    assert SM3.verify_inclusion(m, n, leaves[m], path, root)
    # Forged: another leaf, another index, a changed path element, a wrong size.
    other = (m + 1) % n
    if other != m:
        assert not SM3.verify_inclusion(m, n, leaves[other], path, root)
        assert (
            not SM3.verify_inclusion(other, n, leaves[m], path, root) or leaves[m] == leaves[other]
        )
    if path:
        bad = list(path)
        bad[0] = bytes(32)
        assert not SM3.verify_inclusion(m, n, leaves[m], bad, root)
    assert not SM3.verify_inclusion(n, n, leaves[m], path, root)  # an index past the tree


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_consistency_proofs_match_the_reference_and_verify(data):
    n = data.draw(st.integers(1, 90))
    m = data.draw(st.integers(1, n))
    items = entries(n)
    leaves = [SHA.leaf(d) for d in items]
    old_root, new_root = SHA.root(leaves[:m]), SHA.root(leaves)
    proof = SHA.consistency_proof(m, leaves)
    assert proof == ([] if m == n else ref_subproof(SHA, m, items, True))
    assert SHA.verify_consistency(m, n, old_root, new_root, proof)
    if m < n:
        # A log that rewrote any one of the first m entries cannot prove consistency.
        changed = data.draw(st.integers(0, m - 1))
        forked = list(items)
        forked[changed] = b"forged"
        forked_leaves = [SHA.leaf(d) for d in forked]
        forked_proof = SHA.consistency_proof(m, forked_leaves)
        assert not SHA.verify_consistency(m, n, old_root, SHA.root(forked_leaves), forked_proof)
        # Nor can a doctored proof, or one claiming other sizes.
        doctored = list(proof)
        doctored[-1] = bytes(32)
        assert not SHA.verify_consistency(m, n, old_root, new_root, doctored)
        assert not SHA.verify_consistency(m, n, old_root, new_root, [])
        if m > 1:
            assert not SHA.verify_consistency(m - 1, n, old_root, new_root, proof)


def test_proof_arguments_out_of_range_are_refused():
    leaves = [SHA.leaf(d) for d in entries(3)]
    with pytest.raises(ValueError):
        SHA.inclusion_proof(3, leaves)
    with pytest.raises(ValueError):
        SHA.consistency_proof(0, leaves)
    with pytest.raises(ValueError):
        Tree("md5")
