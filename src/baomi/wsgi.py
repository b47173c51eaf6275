import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
application = get_wsgi_application()
# The URLconf now, not on a worker's first request: building the API's schemas takes seconds
# (300 operations; 6 s on a loaded 2-core machine, bench/api_load.py), which a clerk would wait
# out after every worker start. With `gunicorn --preload` it is built once, before the fork.
get_resolver().url_patterns  # noqa: B018
