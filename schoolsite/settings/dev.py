"""Local development: `make run`. Never used by a deployed site (wsgi defaults to production)."""

from .base import *  # noqa: F401,F403
from .env import env, env_bool, env_list

# The demo looks like the product: designed error pages, no tracebacks or URL lists. `make run DEBUG=1`
# (or DEBUG=1 in the environment) switches Django's debug pages on for development. Media files are served
# either way; `make run` serves static files with runserver --insecure.
DEBUG = env_bool("DEBUG", False)
SERVE_MEDIA = True
# The local demo school (load_demo) has users with known passwords: allowed here, and nowhere else.
DEMO_CONTENT_ALLOWED = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
# ".localhost": the trust demo's schools at schoolNN.localhost (load_demo --trust), which browsers send here.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", ".localhost"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
