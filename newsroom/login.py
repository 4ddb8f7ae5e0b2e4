"""Admin logins, locked by django-axes after repeated failures.

django-axes keeps the count of failed logins in the database and refuses
further attempts for a while.  What Newsroom adds is what axes leaves to the
site:

- the key is the user name *as Django logs it in* (NFKC, stripped): ｅｄ１
  and ed1 are one user to Django, so they are one count here;
- the client address behind a reverse proxy: X-Forwarded-For is believed
  only when the request comes from an address in NEWSROOM_TRUSTED_PROXIES,
  otherwise anyone could choose their address, or every request would carry
  the proxy's and one client's failures would lock out all staff;
- attempts on one name from one address run one after another, so forty
  wrong passwords sent at once still get only the limit's worth of checks
  (axes reads the count before checking the password and writes it after:
  without this, parallel attempts all read the same count);
- a Chinese message on the login page itself.
"""

import hashlib
import ipaddress
import unicodedata

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import connection, transaction

LOCKED_OUT = "locked_out"


def username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the name normalised as Django's login form
    normalises it (UsernameField: NFKC; CharField: stripped)."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return unicodedata.normalize("NFKC", str(name or "")).strip()[:150]


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address.  Each trusted proxy
    appends the address it received the request from to X-Forwarded-For,
    so the client is the rightmost address that is not a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.NEWSROOM_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for address in reversed([a.strip() for a in forwarded.split(",")]):
        if address in trusted:
            continue
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            break  # not written by a proxy we trust
    return remote


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page with the form's message, as
    429 Too Many Requests."""
    if original_response is None:
        from django.http import HttpResponse

        original_response = HttpResponse(lockout_message())
    original_response.status_code = 429
    return original_response


def lockout_message() -> str:
    minutes = max(1, settings.NEWSROOM_LOGIN_FAILURE_WINDOW // 60)
    return f"登录失败次数过多，请 {minutes} 分钟后再试。"


def _one_at_a_time(key: str) -> None:
    """Hold back other attempts on the same key until this transaction ends.
    SQLite needs nothing: its transactions begin IMMEDIATE, holding the
    database's write lock."""
    if connection.vendor == "postgresql":
        digest = hashlib.sha256(key.encode()).digest()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)",
                [int.from_bytes(digest[:8], "big", signed=True)],
            )


class LockingAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        LOCKED_OUT: "%(message)s",
    }

    def clean(self):
        request = self.request
        key = f"login:{username(request, self.data)}@{client_ip(request)}"
        failed = None
        # The check, the password hash and axes' count of the failure happen
        # in one transaction, after the previous attempt on this key ended.
        with transaction.atomic():
            _one_at_a_time(key)
            try:
                cleaned = super().clean()
            except ValidationError as exc:
                failed = exc  # raised outside, so the failure's count commits
        if failed is None:
            return cleaned
        if getattr(request, "axes_locked_out", False):
            raise ValidationError(
                self.error_messages[LOCKED_OUT],
                code=LOCKED_OUT,
                params={"message": lockout_message()},
            )
        raise failed
