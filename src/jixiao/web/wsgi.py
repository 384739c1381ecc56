"""WSGI entry point: ``gunicorn jixiao.web.wsgi`` (README, production set-up)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
application = get_wsgi_application()

from jixiao.services.startup import require_secret_key  # noqa: E402  (needs the settings loaded)

require_secret_key()
