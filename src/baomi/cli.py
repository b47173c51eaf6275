"""The `baomi` console command: Django's management commands plus Baomi's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["baomi", *sys.argv[1:]])


if __name__ == "__main__":
    main()
