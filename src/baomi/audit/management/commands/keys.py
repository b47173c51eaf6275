"""`baomi keys export-public`: print the verifier key a superior unit keeps (C2SP vkey).

Subcommands live in `SUBCOMMANDS`: each is (help text, add_arguments(parser), run(command,
**options)), so `init` and `rotate` join `export-public` here without touching the dispatch.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from baomi.audit.signing import export_public_key_text


def _export_public(command, **options) -> None:
    command.stdout.write(export_public_key_text())


SUBCOMMANDS = {
    "export-public": ("打印审计检查点的验证公钥（交上级单位保存）", None, _export_public),
}


class Command(BaseCommand):
    requires_system_checks = []
    help = "密钥：export-public 打印验证公钥。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        for name, (text, add_arguments, _) in SUBCOMMANDS.items():
            child = sub.add_parser(name, help=text)
            if add_arguments:
                add_arguments(child)

    def handle(self, *args, subcommand: str, **options):
        SUBCOMMANDS[subcommand][2](self, **options)
