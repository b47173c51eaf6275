"""SEC-4, issue 10: every way a hostile administrator rewrote the old hash chain, against a
checkpoint taken after the rows were sealed. `baomi audit verify --checkpoint` must exit 1 and
name what broke; an untouched log verifies with exit 0. SQLite and PostgreSQL (where the
append-only trigger is got past as a superuser would); the replica-role case is PostgreSQL only.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent, AuditLeaf, AuditTreeHead
from baomi.audit.sequencer import seal
from baomi.audit.trail import HASHED_FIELDS, record, row_hash
from baomi.carriers import actions
from tests.factories import approved, receive
from tests.tamper import past_the_trigger

TABLES = ("audit_auditcheckpoint", "audit_audittreehead", "audit_auditleaf", "audit_auditevent")


def run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def checkpoint(world, tmp_path):
    """A few dozen sealed rows and a checkpoint of them, kept outside the database."""
    w = world
    carrier = receive(w)
    actions.circulate(w.clerk, carrier, w.zhang)
    actions.acknowledge(w.zhang, carrier)
    actions.return_to_registry(w.clerk, carrier)
    actions.lend(w.clerk, carrier, approved(w, RequestKind.LOAN, [carrier]))
    actions.return_to_registry(w.clerk, carrier)
    path = tmp_path / "checkpoint.txt"
    code, _, err = run("checkpoint", "--out", str(path))
    assert code == 0, err
    assert AuditLeaf.objects.count() == AuditEvent.objects.count()  # sealed before signing
    # The log goes on growing after the checkpoint.
    actions.circulate(w.clerk, carrier, w.zhang)
    return path


def sql(statement: str, params=()) -> None:
    with past_the_trigger(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify_against(path) -> tuple[int, str]:
    code, out, err = run("verify", "--checkpoint", str(path))
    return code, out + err


def rows() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("seq"))


def test_r_sec_4_an_untouched_log_extends_its_checkpoint(checkpoint):
    code, text = verify_against(checkpoint)
    assert code == 0, text
    assert "一致，日志只增未改" in text


def test_r_sec_4_an_edited_row_is_named(checkpoint):
    victim = rows()[5]
    sql("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["王五", victim.pk])
    code, text = verify_against(checkpoint)
    assert code == 1
    assert f"序号 {victim.seq}" in text and "记录被篡改" in text
    assert "与检查点（大小" in text  # the checkpoint names the same changed leaf


def test_r_sec_4_a_row_deleted_in_the_middle_is_named(checkpoint):
    victim = rows()[len(rows()) // 2]
    sql("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    code, text = verify_against(checkpoint)
    assert code == 1 and f"记录编号 {victim.pk}" in text and "记录被删除" in text


def test_r_sec_4_a_row_and_its_leaf_deleted_in_the_middle_are_found(checkpoint):
    victim = rows()[len(rows()) // 2]
    sql("DELETE FROM audit_auditleaf WHERE event_id = %s", [victim.pk])
    sql("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    code, text = verify_against(checkpoint)
    assert code == 1 and "叶子序号不连续" in text


def _cut_tail_and_rewrite_heads(keep: int) -> None:
    """Delete every row past `keep` leaves, their leaves, the heads and checkpoints past them,
    and write a head for the shorter tree as the application would: internally consistent."""
    from baomi.audit.merkle import Frontier, Tree

    doomed = list(AuditLeaf.objects.filter(index__gte=keep).values_list("event_id", flat=True))
    doomed += list(
        AuditEvent.objects.filter(leaf__isnull=True).values_list("id", flat=True)
    )  # and the unsealed tail
    sql('DELETE FROM audit_auditleaf WHERE "index" >= %s', [keep])
    sql(
        f"DELETE FROM audit_auditevent WHERE id IN ({','.join(['%s'] * len(doomed))})",
        doomed,
    )
    sql("DELETE FROM audit_audittreehead")
    sql("DELETE FROM audit_auditcheckpoint")
    head = AuditEvent.objects.filter(leaf__isnull=False).order_by("leaf__index")
    tree = Tree("sm3")
    frontier = Frontier(tree)
    for event in head:
        frontier.append(bytes.fromhex(event.hash))
    last = AuditEvent.objects.order_by("-seq").first()
    AuditTreeHead.objects.create(
        size=frontier.size,
        root=frontier.root().hex(),
        algorithm="sm3",
        frontier=[h.hex() for h in frontier.hashes],
        # SQLite seals by seq; PostgreSQL re-checks every row without a leaf from xid 0.
        horizon=last.seq if connection.vendor == "sqlite" else 0,
        at=last.at,
    )


def test_r_sec_4_deleting_the_tail_and_updating_the_head_is_a_missing_tail(checkpoint, settings):
    settings.BAOMI_AUDIT_HASH = "sm3"
    size = AuditLeaf.objects.count()
    _cut_tail_and_rewrite_heads(size - 3)
    code, _, err = run("verify")
    assert code == 0, err  # inside the database nothing is left to notice: that is the attack
    code, text = verify_against(checkpoint)
    assert code == 1 and "尾部缺失" in text


@pytest.mark.postgres
def test_r_sec_4_deleting_under_replica_role_is_found(checkpoint):
    if connection.vendor != "postgresql":
        pytest.skip("session_replication_role 只在 PostgreSQL 上有")
    victim = rows()[7]
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
        cursor.execute("DELETE FROM audit_auditleaf WHERE event_id = %s", [victim.pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    assert not AuditEvent.objects.filter(pk=victim.pk).exists()
    code, text = verify_against(checkpoint)
    assert code == 1 and "叶子序号不连续" in text


def _erase_tree() -> None:
    for table in TABLES[:3]:
        sql(f"DELETE FROM {table}")


def test_r_sec_4_erasing_and_rehashing_with_the_apps_own_code_is_a_fork(checkpoint):
    """Delete some events, re-hash an edited one, and re-seal everything with the application's
    own sequencer: the database is consistent again, the checkpoint is not."""
    victims = rows()[3:6]
    edited = rows()[10]
    sql(
        f"DELETE FROM audit_auditevent WHERE id IN ({','.join(['%s'] * len(victims))})",
        [v.pk for v in victims],
    )
    edited.actor_name = "王五"
    values = {name: getattr(edited, name) for name in HASHED_FIELDS}
    sql(
        "UPDATE audit_auditevent SET actor_name = %s, hash = %s WHERE id = %s",
        ["王五", row_hash(values), edited.pk],
    )
    _erase_tree()
    if connection.vendor == "postgresql":  # let the sequencer take every row again
        sql("UPDATE audit_auditevent SET xid = 0")
    seal()
    # Pad the log past the checkpoint's size, so it is no mere missing tail.
    for _ in range(10):
        record("carrier.read", None)
    code, _, err = run("verify")
    assert code == 0, err  # internally consistent: the attack works on the database alone
    code, text = verify_against(checkpoint)
    assert code == 1 and "分叉" in text


@pytest.mark.parametrize("fake_rows", [3, 80])
def test_r_sec_4_a_consistent_fake_log_is_caught(checkpoint, fake_rows):
    for table in TABLES:
        sql(f"DELETE FROM {table}")
    for i in range(fake_rows):
        record("carrier.read", None, message=f"伪造 {i}")
    code, _, err = run("verify")
    assert code == 0, err
    code, text = verify_against(checkpoint)
    assert code == 1
    assert ("尾部缺失" if fake_rows == 3 else "分叉") in text


def test_r_sec_4_a_doctored_checkpoint_has_a_bad_signature(checkpoint):
    lines = checkpoint.read_text(encoding="utf-8").split("\n")
    lines[1] = str(int(lines[1]) - 1)
    checkpoint.write_text("\n".join(lines), encoding="utf-8")
    code, text = verify_against(checkpoint)
    assert code == 1 and "签名无效" in text


def test_r_sec_4_a_checkpoint_signed_by_another_key_is_refused(checkpoint):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from baomi.audit.signing import Verifier

    other = Verifier("baomi.local/audit", Ed25519PrivateKey.generate().public_key()).text()
    code, out, err = run("verify", "--checkpoint", str(checkpoint), "--key", other)
    assert code == 1 and "没有密钥" in out + err


def test_verify_usage_errors_exit_2(checkpoint, tmp_path):
    code, _, err = run("verify", "--checkpoint", str(tmp_path / "missing.txt"))
    assert code == 2 and "无法读取" in err
    code, _, err = run("verify", "--checkpoint", str(checkpoint), "--key", "not-a-key")
    assert code == 2 and "验证公钥无效" in err


def test_r_sec_4_deleted_tree_heads_are_named(checkpoint):
    sql("DELETE FROM audit_audittreehead")
    code, _, err = run("verify")
    assert code == 1 and "没有树头" in err
