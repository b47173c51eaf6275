"""`baomi scan` as a Django management command (for `baomi help`, call_command and manage.py).
The console entry point runs baomi.scanner.command directly, without Django (see there)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from baomi.scanner import command


class Command(BaseCommand):
    help = command.HELP
    requires_system_checks = []  # reads files only; works without a database

    def add_arguments(self, parser):
        command.add_arguments(parser)

    def handle(self, *args, **options):
        try:
            code = command.run(options, self.stdout, self.stderr)
        except command.Refused as error:
            raise CommandError(str(error), returncode=2) from error
        if code:
            sys.stdout.flush()
            raise SystemExit(code)
