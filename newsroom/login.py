"""Admin login with a throttle: after repeated failures for one user name or
from one address, further attempts are refused for a while, right or wrong."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

THROTTLED = "throttled"


def _client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown") if request else "unknown"


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        THROTTLED: "登录失败次数过多，请 %(minutes)s 分钟后再试。",
    }

    def _keys(self) -> list[str]:
        username = (self.data.get("username") or "").strip().lower()[:150]
        ip = _client_ip(self.request)
        return [f"login-fail:user:{username}", f"login-fail:ip:{ip}"]

    def clean(self):
        limit = settings.NEWSROOM_LOGIN_FAILURE_LIMIT
        window = settings.NEWSROOM_LOGIN_FAILURE_WINDOW
        keys = self._keys()
        # The address may try several user names; allow it a few more.
        limits = [limit, limit * 3]
        if any((cache.get(k) or 0) >= n for k, n in zip(keys, limits, strict=True)):
            raise ValidationError(
                self.error_messages[THROTTLED],
                code=THROTTLED,
                params={"minutes": window // 60},
            )
        try:
            return super().clean()
        except ValidationError:
            for key in keys:
                cache.add(key, 0, timeout=window)
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, timeout=window)
            raise
