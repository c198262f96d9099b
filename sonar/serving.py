"""The application as `sonar serve` runs it under granian: Sonar's ASGI application behind the
proxy-headers rule uvicorn applied before.

X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies listed in
FORWARDED_ALLOW_IPS (comma-separated addresses or networks, `*` for any; 127.0.0.1 by default),
so that log-in rate limiting counts the visitor's address, not the proxy's.
"""

import os

from granian.utils.proxies import wrap_asgi_with_proxy_headers

from sonar.asgi import application as sonar_application


def trusted_proxies():
    raw = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1").strip() or "127.0.0.1"
    return "*" if raw == "*" else [part.strip() for part in raw.split(",") if part.strip()]


application = wrap_asgi_with_proxy_headers(sonar_application, trusted_hosts=trusted_proxies())
