"""The `baomi` console command: Django's management commands plus Baomi's own.

`baomi scan` is dispatched before Django is imported: a scan needs no settings, database or apps,
and Django's set-up would add most of a second to every run (issue 9, item 14)."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["scan"]:
        from baomi.scanner.command import main as scan

        sys.exit(scan(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["baomi", *sys.argv[1:]])
    except ImproperlyConfigured as error:
        # A refused key (baomi.lib.keyfiles) is an operator's fix, not a programming error:
        # say what to do, without a traceback.
        if not str(error).startswith("拒绝启动"):
            raise
        print(error, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
