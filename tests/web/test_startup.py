"""Starting Baomi prints no warning about a missing static directory (issue 9, item 8): the
directory WhiteNoise looks at is made with the var directory."""

from __future__ import annotations

import os
import subprocess
import sys


def test_a_fresh_start_does_not_warn_no_directory_at_var_static(tmp_path):
    env = {**os.environ, "BAOMI_VAR_DIR": str(tmp_path / "var"), "PYTHONWARNINGS": "always"}
    env.pop("DATABASE_URL", None)
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'baomi.settings');"
        "django.setup();"
        "from django.core.handlers.wsgi import WSGIHandler; WSGIHandler()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "No directory at" not in done.stderr
    assert (tmp_path / "var" / "static").is_dir()
