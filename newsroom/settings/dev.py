"""Local development: debug on, a throwaway secret, localhost only."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-newsroom")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
