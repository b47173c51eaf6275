"""The `baomi` console command: Django's management commands plus Baomi's own.

`baomi scan` is dispatched before Django is set up: a scan needs no settings, database or apps,
and Django's set-up (and its ORM's import) was most of every run's start-up (issue 9, item 14)."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["scan"]:
        _choices_without_the_orm()
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


def _choices_without_the_orm() -> None:
    """Let `from django.db import models; models.TextChoices` work without importing the ORM.

    baomi.classification.choices defines the levels as Django TextChoices. A scan needs those
    enums (a level's value and label) and nothing else of Django, yet importing django.db.models
    (the whole ORM) was two thirds of `baomi scan`'s start-up. In this process only — a scan never
    opens a database, and its workers are forks of it — django.db and django.db.models are
    stand-ins that hold Django's own enum module (django/db/models/enums.py, loaded from its
    file), so Level is the same kind of class as anywhere else.
    """
    if "django.db" in sys.modules:
        return
    import importlib.util
    import types

    import django

    spec = importlib.util.spec_from_file_location(
        "django.db.models.enums",
        os.path.join(os.path.dirname(django.__file__), "db", "models", "enums.py"),
    )
    enums = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = enums
    spec.loader.exec_module(enums)
    models = types.ModuleType(
        "django.db.models", "Django's choices only (baomi scan: see baomi.cli)"
    )
    models.__dict__.update((name, getattr(enums, name)) for name in enums.__all__)
    models.enums = enums
    db = types.ModuleType("django.db", "baomi scan opens no database (see baomi.cli)")
    db.models = models
    sys.modules["django.db"], sys.modules["django.db.models"] = db, models


if __name__ == "__main__":
    main()
