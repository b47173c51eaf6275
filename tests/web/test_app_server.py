"""What the app server needs to answer fast from its first request on (bench/api_load.py): the
URLconf built when the WSGI module loads, and PostgreSQL connections kept between requests."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _run(code: str, tmp_path, **env_extra) -> str:
    env = {**os.environ, "BAOMI_VAR_DIR": str(tmp_path / "var"), **env_extra}
    env.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_loading_the_wsgi_module_builds_the_urlconf_before_any_request(tmp_path):
    code = (
        "import sys; import baomi.wsgi;"
        "from django.urls import get_resolver;"
        "print('baomi.api.api' in sys.modules, 'url_patterns' in get_resolver().__dict__)"
    )
    assert _run(code, tmp_path) == "True True"


SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings;"
    "d = settings.DATABASES['default'];"
    "print(json.dumps([d.get('CONN_MAX_AGE', 0), d.get('CONN_HEALTH_CHECKS', False)]))"
)


def test_postgresql_connections_are_kept_between_requests_and_checked_before_reuse(tmp_path):
    url = "postgres://baomi@127.0.0.1:5432/baomi"
    assert json.loads(_run(SETTINGS, tmp_path, DATABASE_URL=url)) == [300, True]


def test_the_database_url_can_ask_for_a_connection_per_request(tmp_path):
    url = "postgres://baomi@127.0.0.1:5432/baomi?conn_max_age=0"
    assert json.loads(_run(SETTINGS, tmp_path, DATABASE_URL=url)) == [0, True]


def test_sqlite_keeps_djangos_default(tmp_path):
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    assert json.loads(_run(SETTINGS, tmp_path, DATABASE_URL=url)) == [0, False]
