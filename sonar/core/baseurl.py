"""The public address of the site, from which every absolute link starts (sonar/core/links.py).

SONAR_BASE_URL when it is set: behind a proxy, the address people type. Otherwise the address
`make run` and `sonar serve` listen on, HOST and PORT (127.0.0.1 and 8000 by default), so that
`make run PORT=18901` hands out links to port 18901, not to 8000. A server listening on every
interface (0.0.0.0, ::) is reached from other machines by this machine's network address: the
links use it, so that phones in the room can open a workshop's QR code.

Read by the settings (every process), and by `sonar serve`, which passes the address it found
to its workers and says it at start-up. Reading it writes nothing and sends nothing.
"""

import socket

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = "8000"
EVERYWHERE = {"0.0.0.0", "::", "[::]"}  # noqa: S104 (names, not a bind)


def lan_address():
    """This machine's address on the network its default route leads to, or None. A UDP
    socket's connect() only picks the route: no packet leaves."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never reached
            return probe.getsockname()[0]
    except OSError:
        return None


def from_host_and_port(host, port, lan_address=lan_address):
    host = (host or "").strip() or DEFAULT_HOST
    port = str(port or "").strip() or DEFAULT_PORT
    if host in EVERYWHERE:
        host = lan_address() or DEFAULT_HOST
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def derive(environ, lan_address=lan_address):
    """The base URL, without a trailing slash, from an environment (os.environ)."""
    explicit = (environ.get("SONAR_BASE_URL") or "").strip()
    if explicit:
        return explicit.rstrip("/")
    return from_host_and_port(environ.get("HOST"), environ.get("PORT"), lan_address)
