"""`baomi bench generate --carriers N`: load a province-sized ledger for the benchmarks."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from baomi.benchdata.generator import Scale, generate
from baomi.carriers.choices import Status


class Command(BaseCommand):
    help = "规模测试：生成单位、人员、涉密载体及其流转、审批和审计记录（批量写入）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        gen = actions.add_parser("generate", help="生成测试数据（写入当前数据库）")
        gen.add_argument("--carriers", type=int, required=True, help="载体总数")
        gen.add_argument("--units", type=int, default=10, help="单位数（第一个单位最大）")
        gen.add_argument(
            "--main-share", type=float, default=0.5, help="第一个单位所占载体比例（默认 0.5）"
        )
        gen.add_argument("--years", type=int, default=6, help="登记时间跨度（年）")
        gen.add_argument("--seed", type=int, default=13)
        gen.add_argument("--chunk", type=int, default=20_000, help="每个事务写入的载体数")

    def handle(self, *args, **options):
        if options["carriers"] < 1 or options["units"] < 1:
            raise CommandError("载体数和单位数至少为 1。")
        if not 0 < options["main_share"] <= 1:
            raise CommandError("--main-share 应在 0 和 1 之间。")
        result = generate(
            Scale(
                carriers=options["carriers"],
                units=options["units"],
                main_share=options["main_share"],
                years=options["years"],
                seed=options["seed"],
                chunk=options["chunk"],
            )
        )
        self.stdout.write(
            f"已生成：单位 {result.units}，人员 {result.people}，载体 {result.carriers}，"
            f"流转记录 {result.custody_events}，审计记录 {result.audit_events}，"
            f"审批申请 {result.requests}（用时 {result.seconds:.1f} 秒）"
        )
        mix = "，".join(
            f"{Status(s).label} {n}"
            for s, n in sorted(result.by_status.items(), key=lambda kv: -kv[1])
        )
        self.stdout.write(f"状态分布：{mix}")
