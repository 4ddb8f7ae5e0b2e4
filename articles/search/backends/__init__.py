"""One backend per database engine; `backend()` gives the one in use."""

from django.db import connection

from .base import SearchBackend
from .postgres import PostgresBackend
from .sqlite import SQLiteBackend

_BACKENDS: dict[str, SearchBackend] = {
    "postgresql": PostgresBackend(),
    "sqlite": SQLiteBackend(),
}


def backend() -> SearchBackend:
    """The search backend of the default database."""
    return _BACKENDS[connection.vendor]
