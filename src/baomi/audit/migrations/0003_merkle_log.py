"""The hash chain becomes a Merkle-tree log (SEC-4): rows no longer link to each other, the
sequencer seals them (AuditLeaf, AuditTreeHead) and signs checkpoints (AuditCheckpoint).

Existing rows keep their content and get the new leaf hash (content without `prev_hash`, plus the
actor's unit); the sequencer seals them first, in their old order. On PostgreSQL all four tables
become append-only (UPDATE/DELETE/TRUNCATE refused) and writers number rows from a sequence.
"""

import json
from datetime import UTC

import django.db.models.deletion
from cryptography.hazmat.primitives import hashes
from django.db import migrations, models

TABLES = ("audit_auditevent", "audit_auditleaf", "audit_audittreehead", "audit_auditcheckpoint")

FUNCTION = """
CREATE OR REPLACE FUNCTION baomi_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused (SEC-4)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGERS = """
CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION baomi_audit_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION baomi_audit_append_only();
"""
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};
"""
OLD_TRIGGERS = """
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_no_update_delete ON audit_auditevent;
"""

# Frozen copy of trail.canonical as of this migration (later code may change; this must not).
FIELDS = (
    "actor_id", "actor_name", "after", "algorithm", "at", "before", "correlation_id",
    "event_type", "message", "object_id", "object_text", "object_type", "outcome",
    "request_id", "rule_id", "seq", "unit_id",
)
ALGORITHMS = {"sm3": hashes.SM3, "sha256": hashes.SHA256}


def leaf_hash(values):
    clean = {name: values[name] for name in FIELDS}
    clean["at"] = clean["at"].astimezone(UTC).isoformat(timespec="microseconds")
    data = json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    h = hashes.Hash(ALGORITHMS[values["algorithm"]]())
    h.update(b"\x00" + data)
    return h.finalize().hex()


def drop_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_TRIGGERS, params=None)


def restore_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent"
            " FOR EACH ROW EXECUTE FUNCTION baomi_audit_append_only();"
            "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent"
            " FOR EACH STATEMENT EXECUTE FUNCTION baomi_audit_append_only();",
            params=None,
        )


def rehash_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Person = apps.get_model("org", "Person")
    units = dict(Person.objects.values_list("pk", "unit_id"))
    postgres = schema_editor.connection.vendor == "postgresql"
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        event.unit_id = units.get(event.actor_id)
        values = {name: getattr(event, name) for name in FIELDS}
        event.hash = leaf_hash(values)
        # xid 0: older than any transaction, so the sequencer seals these first, in seq order.
        event.xid = 0 if postgres else None
        event.save(update_fields=["unit_id", "hash", "xid"])


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_auditevent")
        start = cursor.fetchone()[0]
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS audit_event_seq START {start}", params=None)
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(TRIGGERS.format(table=table), params=None)


def not_append_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP_TRIGGERS.format(table=table), params=None)
    schema_editor.execute("DROP SEQUENCE IF EXISTS audit_event_seq", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(drop_old_trigger, restore_old_trigger),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('size', models.BigIntegerField(verbose_name='树大小')),
                ('root', models.CharField(max_length=64, verbose_name='根哈希')),
                ('origin', models.CharField(max_length=200, verbose_name='日志标识')),
                ('note', models.TextField(verbose_name='签名检查点')),
                ('reason', models.CharField(choices=[('hourly', '定时发布'), ('manual', '手动生成'), ('destruction', '销毁证明'), ('stocktake', '清查报告'), ('yearly', '年度报告')], max_length=16, verbose_name='原因')),
                ('subject', models.CharField(blank=True, max_length=200, verbose_name='涉及')),
                ('at', models.DateTimeField(db_index=True, verbose_name='时间')),
            ],
            options={
                'verbose_name': '检查点',
                'verbose_name_plural': '检查点',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='AuditLeaf',
            fields=[
                ('index', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='叶子序号')),
            ],
            options={
                'verbose_name': '叶子',
                'verbose_name_plural': '叶子',
                'ordering': ['index'],
            },
        ),
        migrations.CreateModel(
            name='AuditTreeHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('size', models.BigIntegerField(unique=True, verbose_name='树大小')),
                ('root', models.CharField(max_length=64, verbose_name='根哈希')),
                ('algorithm', models.CharField(max_length=16, verbose_name='哈希算法')),
                ('frontier', models.JSONField(default=list, verbose_name='边界')),
                ('horizon', models.BigIntegerField(default=0, verbose_name='封存界限')),
                ('at', models.DateTimeField(verbose_name='时间')),
            ],
            options={
                'verbose_name': '树头',
                'verbose_name_plural': '树头',
                'ordering': ['size'],
            },
        ),
        migrations.DeleteModel(
            name='AuditHead',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='prev_hash',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='unit_id',
            field=models.BigIntegerField(db_index=True, null=True, verbose_name='单位编号'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='xid',
            field=models.BigIntegerField(db_index=True, null=True, verbose_name='事务号'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(max_length=64, verbose_name='内容哈希'),
        ),
        migrations.AddField(
            model_name='auditleaf',
            name='event',
            field=models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='leaf', to='audit.auditevent', verbose_name='审计记录'),
        ),
        migrations.RunPython(rehash_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(append_only, not_append_only),
    ]
