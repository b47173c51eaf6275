"""Ships the default 自查自评 checklist (INS-2): one template for every unit, each item citing the
rule of requirements.md it checks. The items are frozen here (a later change is a new migration),
so this migration does not import the app's code."""

from django.db import migrations
from django.utils import timezone

ITEMS = (
    ("是否建立保密工作领导小组（保密委员会）并明确保密员", "ORG-1", ""),
    ("部门负责人是否签订保密责任书，涉密人员是否签订保密承诺书", "ORG-3", ""),
    ("涉密载体是否逐份登记统一编号和份号，收文由专人签收", "CR-1", ""),
    ("是否随时掌握每份涉密载体的去向（持有人或存放位置）", "CR-3", ""),
    ("借阅是否经审批并按期归还，逾期是否催办", "CR-6", "overdue_loans"),
    ("携带外出的载体是否当日带回，未在办公场所之外过夜", "CR-8", "out_overnight"),
    ("绝密载体是否单独存放于保险柜", "CR-15", "top_secret_outside_safe"),
    ("复制涉密载体是否经批准并登记、加盖复制机关戳记", "CR-7", ""),
    ("秘密级以上载体是否经机要交换站或专人传递", "CR-9", ""),
    ("销毁是否造册登记、经领导批准并两人以上监销", "CR-12", ""),
    ("是否定期清查，做到帐、卡、物相符", "CR-14", ""),
    ("涉密人员是否定期接受保密教育培训", "PER-4", "untrained"),
    ("离岗涉密人员是否清退全部载体并进入脱密期管理", "PER-5", ""),
    ("涉密会议文件是否编号登记并在会后全部清退", "MTG-3", "meeting_papers_out"),
    ("要害部门部位是否坚持每日下班安全检查", "SITE-3", "closing_checks_missing"),
    ("外来人员进入要害部位是否登记并有人陪同", "SITE-2", ""),
    ("信息公开和对外提供资料前是否经保密审查", "REV-1", ""),
    ("涉密计算机是否一人一机并与互联网物理隔离", "DEV-2", ""),
)


def create_default(apps, schema_editor):
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Item = apps.get_model("inspections", "ChecklistItem")
    template = Template.objects.create(
        unit=None, name="保密工作自查自评表（默认）", created_at=timezone.now()
    )
    Item.objects.bulk_create(
        Item(template=template, position=i, text=text, rule_id=rule, auto_check=auto)
        for i, (text, rule, auto) in enumerate(ITEMS, start=1)
    )


def remove_default(apps, schema_editor):
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Template.objects.filter(unit=None, name="保密工作自查自评表（默认）").delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_inspections_and_rectifications")]

    operations = [migrations.RunPython(create_default, remove_default)]
