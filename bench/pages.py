"""Pages under load, served as a metropole would serve them. A benchmark, not a test.

    .venv/bin/python bench/pages.py [--seconds 5] [--rounds 3] [--connections 50]
                                    [--servers uvicorn,granian-asgi,...] [--before DIR]

For each application server (uvicorn ASGI, gunicorn WSGI, gunicorn with uvicorn workers,
granian WSGI and ASGI; two worker processes each, one per core), every page is loaded with
`wrk` from a second process on loopback at 50 concurrent connections. Two baselines are measured
in the same run: the framework's floor (a Django view returning a fixed string through the same
middleware stack, /bench/floor from bench/floor_settings.py) on every server, and the physical
limit (the same page's bytes served as a static file by nginx). Rounds alternate the servers so
that noise from the shared machine spreads over all of them; the figures are medians over rounds.

Each page is measured three ways: anonymous (no cookie: the page cache's case), "with a
session" (a visitor who has answered the quiz's first question) and "signed in" (an agent's
session), so that the pages rendered for a session are held to the same floor.

`--before DIR` also measures, in the same rounds and against the same database, the code of
another checkout (`git worktree add --detach DIR <commit>`): before/after ratios side by side.

Needs `wrk` and `nginx` (Debian packages; `make bench` installs them through scripts/bench-deps)
and the bench extras (gunicorn, granian). SQLite in a scratch directory, no Redis: the default
deployment. Figures go to bench/results/pages.json and bench/results/pages.md.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
WORKERS = 2

# name → path; {result} and {resource} are filled in once the scratch database is ready.
PAGES = {
    "accueil": "/",
    "question": "/diagnostic/style/question/1/",
    "resultat": "/diagnostic/resultat/{result}/",
    "carte": "/carte/",
    "catalogue-2-facettes": "/carte/ressources/?kind=methode&vision=democratie",
    "ressource": "/carte/ressources/{resource}/",
    "glossaire": "/glossaire/",
    "recherche": "/recherche/?q=design",
    "api-ressources": "/api/v1/resources?kind=methode",
    "api-quiz": "/api/v1/quiz/style",
}
FLOOR = "/bench/floor"
# The suffixes of a page's rows with a session cookie (a visitor mid-quiz, a signed-in agent).
SESSION = " (session)"
SIGNED_IN = " (signed in)"
CORES = os.cpu_count() or 1

SERVERS = {
    "uvicorn": ["{bin}/uvicorn", "sonar.asgi:application", "--workers", "{w}", "--port", "{port}",
                "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
    "gunicorn-wsgi": ["{bin}/gunicorn", "sonar.wsgi:application", "-w", "{w}", "-b",
                      "127.0.0.1:{port}", "--log-level", "warning"],
    "gunicorn-gthread": ["{bin}/gunicorn", "sonar.wsgi:application", "-w", "{w}", "-k", "gthread",
                         "--threads", "8", "-b", "127.0.0.1:{port}", "--log-level", "warning"],
    "gunicorn-uvicorn": ["{bin}/gunicorn", "sonar.asgi:application", "-w", "{w}", "-k",
                         "uvicorn.workers.UvicornWorker", "-b", "127.0.0.1:{port}",
                         "--log-level", "warning"],
    "granian-wsgi": ["{bin}/granian", "--interface", "wsgi", "--workers", "{w}", "--port", "{port}",
                     "--no-ws", "--log-level", "warning", "sonar.wsgi:application"],
    "granian-asgi": ["{bin}/granian", "--interface", "asgi", "--workers", "{w}", "--port", "{port}",
                     "--no-ws", "--log-level", "warning", "sonar.asgi:application"],
}  # fmt: skip
# Which servers can also serve a live workshop's event stream (an async view held open).
STREAMS = {"uvicorn": True, "gunicorn-uvicorn": True, "granian-asgi": True}

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "errors": %d, "p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

NGINX_CONF = """
worker_processes {w};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types {{ text/html html; application/json json; }}
  client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp;
  fastcgi_temp_path {prefix}/tmp; uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port, path="/healthz", timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"le serveur du port {port} ne répond pas")


def fetch(port, path, header=None, cookie=None):
    """Status and body (and the value of `header`, when asked) of one GET, without cookies
    unless given one."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie} if cookie else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            found = response.headers.get(header) if header else None
            return (response.status, response.read()) + ((found,) if header else ())
    except urllib.error.HTTPError as error:
        return (error.code, b"") + ((None,) if header else ())


def run(env, *args):
    subprocess.run(args, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def prepare(scratch):
    """A scratch SQLite deployment: migrated, reference content loaded, static files collected,
    one style result; returns the environment and the paths to fill in."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
        "PYTHONPATH": str(ROOT),
        "SONAR_VAR_DIR": str(scratch),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "SONAR_BASE_URL"):
        env.pop(name, None)
    python = sys.executable
    run(env, python, "manage.py", "migrate", "--noinput")
    run(env, python, "manage.py", "load_content")
    run(env, python, "manage.py", "collectstatic", "--noinput")
    code = (
        "from sonar.quiz import data\n"
        "from sonar.quiz.models import Result\n"
        "from sonar.atlas.models import Resource\n"
        "quiz = data.get('style')\n"
        "answers = {q.key: q.choices[i % len(q.choices)].key\n"
        "           for i, q in enumerate(quiz.questions)}\n"
        "score = quiz.score(answers)\n"
        "result = Result.objects.record(quiz.id, answers, score, 'bench')\n"
        "from django.test import Client\n"
        "from sonar.accounts.models import User\n"
        "visitor = Client()\n"
        "first = quiz.questions[0].choices[0].key\n"
        "visitor.post('/diagnostic/style/question/1/', {'choice': first})\n"
        "print('BENCH', result.token, Resource.objects.order_by('slug').first().slug,\n"
        "      visitor.cookies['sessionid'].value)\n"
    )
    out = subprocess.run(
        [python, "manage.py", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    out = next(line for line in out.splitlines() if line.startswith("BENCH ")).split()[1:]
    pages = {name: path.format(result=out[0], resource=out[1]) for name, path in PAGES.items()}
    cookies = {"": None, SESSION: f"sessionid={out[2]}", SIGNED_IN: signed_in(env, ROOT)}
    return env, pages, cookies


AGENT = (
    "from django.test import Client\n"
    "from django.utils import timezone\n"
    "from sonar.accounts.models import User\n"
    "user = User.objects.filter(email='bench@example.org').first() or User.objects.create_user(\n"
    "    'bench@example.org', 'bench-pages-1', email_confirmed_at=timezone.now())\n"
    "agent = Client()\n"
    "agent.force_login(user)\n"
    "print('AGENT', agent.cookies['sessionid'].value)\n"
)


def signed_in(env, code):
    """The cookie of an agent signed in by the code of `code` (a session names the backend
    that signed it in: each checkout measured signs its own agent in)."""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", AGENT],
        env={**env, "PYTHONPATH": str(code)}, cwd=code, check=True, capture_output=True,
        text=True,
    ).stdout  # fmt: skip
    return "sessionid=" + next(line for line in out.splitlines() if line.startswith("AGENT "))[6:]


def start(command, env, cwd=ROOT):
    return subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def load(port, path, seconds, connections, script, cookie=None):
    """wrk on one URL; returns requests per second and latency percentiles in milliseconds."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script,
         *(["-H", f"Cookie: {cookie}"] if cookie else []), f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = json.loads(out.strip().splitlines()[-1])
    return {
        "rps": figures["requests"] / figures["seconds"],
        "errors": figures["errors"],
        "p50_ms": figures["p50"] / 1000,
        "p95_ms": figures["p95"] / 1000,
        "p99_ms": figures["p99"] / 1000,
    }


def measure_server(name, env, pages, cookies, args, script, code=ROOT):
    port = free_port()
    command = [part.format(bin=BIN, w=WORKERS, port=port) for part in SERVERS[name]]
    process = start(command, {**env, "PYTHONPATH": str(code)}, cwd=code)
    try:
        wait_until_up(port)
        figures = {}
        rows = [("floor", FLOOR, None)] + [
            (page + suffix, path, cookie)
            for page, path in pages.items()
            for suffix, cookie in cookies.items()
        ]
        for row, path, cookie in rows:
            status, _body = fetch(port, path, cookie=cookie)
            if status != 200:
                raise RuntimeError(f"{name} {path} : statut {status}")
            load(port, path, 1, args.connections, script, cookie)  # warm-up: caches, connections
            figures[row] = load(port, path, args.seconds, args.connections, script, cookie)
            # Was the page served from the page cache (sonar/core/pagecache.py)? 1 or 0.
            kept = fetch(port, path, "X-Page-Cache", cookie)[2]
            figures[row]["cached"] = int(kept in ("hit", "personal"))
        return figures
    finally:
        stop(process)


def measure_nginx(pages, source_port, args, script, scratch):
    """The physical limit: each page's bytes, as fetched from Sonar, served by nginx."""
    root = scratch / "nginx-root"
    # nginx's workers run as another user when started as root: they must be able to read.
    scratch.chmod(0o755)
    (scratch / "nginx" / "tmp").mkdir(parents=True, exist_ok=True)
    root.mkdir(exist_ok=True)
    for page, path in pages.items():
        _status, body = fetch(source_port, path)
        suffix = "json" if path.startswith("/api/") else "html"
        (root / f"{page}.{suffix}").write_bytes(body)
        (root / f"{page}.{suffix}").chmod(0o644)
    port = free_port()
    conf = scratch / "nginx" / "nginx.conf"
    conf.write_text(NGINX_CONF.format(w=WORKERS, prefix=scratch / "nginx", port=port, root=root))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = start([nginx, "-c", str(conf), "-g", "daemon off;"], os.environ)
    try:
        first = next(iter(pages))
        wait_until_up(port, f"/{first}.html")
        figures = {}
        for page, path in pages.items():
            suffix = "json" if path.startswith("/api/") else "html"
            load(port, f"/{page}.{suffix}", 1, args.connections, script)
            figures[page] = load(port, f"/{page}.{suffix}", args.seconds, args.connections, script)
        return figures
    finally:
        stop(process)


def medians(rounds):
    """Per page, the median of each figure over the rounds."""
    pages = rounds[0].keys()
    return {
        page: {key: statistics.median(r[page][key] for r in rounds) for key in rounds[0][page]}
        for page in pages
    }


def busy(results):
    """What the load average before the run says of the figures (during the run, wrk and the
    servers' threads raise it by themselves): above the number of cores, other jobs were
    running."""
    if results["load_average_start"][0] <= CORES:
        return (
            "The machine was otherwise quiet (the benchmark itself loads both cores); "
            "the ratios, measured in the same rounds, are still the figures to compare."
        )
    return (
        "The machine is shared: other jobs (other people's test suites, browsers) were running "
        "at the same time, so the absolute figures are lower and noisier than on a quiet "
        "machine; the ratios, measured in the same rounds, are the figures to compare."
    )


def summarise(results, servers, chosen):
    lines = [
        "# Pages under load",
        "",
        f"Measured {results['date']} on {results['machine']}; {results['connections']} concurrent "
        f"connections from wrk on loopback, {results['seconds']} s per page, median of "
        f"{results['rounds']} rounds; {WORKERS} worker processes per server, SQLite, no Redis "
        "(pages kept in each process's memory: sonar/core/pagecache.py).",
        "",
        f"Load average (1, 5, 15 min) at the start: "
        f"{', '.join(str(x) for x in results['load_average_start'])}; at the end: "
        f"{', '.join(str(x) for x in results['load_average_end'])}. {busy(results)}",
        "",
        "Under ASGI, a page kept for visitors without a session is answered before Django "
        "(sonar/core/frontcache.py), while the floor is a Django view: kept pages can go faster "
        "than the floor. The WSGI servers serve the same kept pages through Django.",
        "",
        "## Servers: the framework floor and the pages, requests per second",
        "",
        "| server | live stream | floor | " + " | ".join(results["pages"]) + " |",
        "|---" * (3 + len(results["pages"])) + "|",
    ]
    for name in servers:
        figures = results["servers"][name]
        row = [name, "yes" if STREAMS.get(name) else "no", f"{figures['floor']['rps']:.0f}"]
        row += [f"{figures[page]['rps']:.0f}" for page in results["pages"]]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "Total over the pages in each round, req/s: "
        + "; ".join(
            f"{name} {', '.join(str(t) for t in results['round_totals_rps'][name])}"
            for name in servers
        )
        + ".",
        "",
        f"## {chosen} (kept), per page",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | / floor | / nginx | errors | from the cache |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    floor = results["servers"][chosen]["floor"]["rps"]
    lines.append(
        f"| floor | {floor:.0f} | {results['servers'][chosen]['floor']['p50_ms']:.1f} | "
        f"{results['servers'][chosen]['floor']['p95_ms']:.1f} | "
        f"{results['servers'][chosen]['floor']['p99_ms']:.1f} | 1.00 | | | |"
    )
    for page in results["pages"]:
        f = results["servers"][chosen][page]
        static = results["nginx"][page]["rps"]
        lines.append(
            f"| {page} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
            f"{f['p99_ms']:.1f} | {f['rps'] / floor:.2f} | {f['rps'] / static:.3f} | "
            f"{f['errors']:.0f} | {'yes' if f.get('cached') else 'no'} |"
        )
    lines += [
        "",
        f"## {chosen}, every page anonymous, with a session and signed in",
        "",
        '"session": a visitor who has answered the first question of the quiz; "signed in": '
        "an agent's session. Ratios to the floor measured in the same rounds.",
        "",
    ]
    before = results.get("before", {}).get("servers", {}).get(chosen)
    if before:
        lines += [
            f"Before: {results['before']['commit']} ({results['before']['code']}), measured in "
            "the same rounds against the same database.",
            "",
            "| page | before req/s | before / floor | after req/s | after / floor | after p50 ms "
            "| after p99 ms |",
            "|---|---|---|---|---|---|---|",
        ]
        floor_before = before["floor"]["rps"]
        lines.append(
            f"| floor | {floor_before:.0f} | 1.00 | {floor:.0f} | 1.00 | "
            f"{results['servers'][chosen]['floor']['p50_ms']:.1f} | "
            f"{results['servers'][chosen]['floor']['p99_ms']:.1f} |"
        )
        for row in results["rows"]:
            f, b = results["servers"][chosen][row], before.get(row)
            old = f"{b['rps']:.0f} | {b['rps'] / floor_before:.2f}" if b else "| "
            lines.append(
                f"| {row} | {old} | {f['rps']:.0f} | {f['rps'] / floor:.2f} | "
                f"{f['p50_ms']:.1f} | {f['p99_ms']:.1f} |"
            )
    else:
        lines += ["| page | req/s | / floor | p50 ms | p99 ms | from the cache |", "|---" * 6 + "|"]
        for row in results["rows"]:
            f = results["servers"][chosen][row]
            lines.append(
                f"| {row} | {f['rps']:.0f} | {f['rps'] / floor:.2f} | {f['p50_ms']:.1f} | "
                f"{f['p99_ms']:.1f} | {'yes' if f.get('cached') else 'no'} |"
            )
    lines += [
        "",
        "nginx serving the same bytes as static files (the physical limit), req/s: "
        + ", ".join(f"{page} {results['nginx'][page]['rps']:.0f}" for page in results["pages"]),
        "",
        "Targets: every page, anonymous or for a session, at least 0.5 × the floor; p99 under "
        "100 ms.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--before", type=Path, help="another checkout, measured alongside")
    args = parser.parse_args()
    servers = [s for s in args.servers.split(",") if s]
    for tool in ("wrk", "nginx"):
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            sys.exit(f"{tool} est introuvable : lancez scripts/bench-deps (root) ou installez-le.")

    # The machine may be shared (other jobs, other people's tests): say how busy it was.
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="sonar-bench-pages-") as tmp:
        scratch = Path(tmp)
        env, pages, cookies = prepare(scratch)
        before_cookies = (
            {**cookies, SIGNED_IN: signed_in(env, args.before.resolve())} if args.before else None
        )
        script = scratch / "report.lua"
        script.write_text(WRK_SCRIPT)
        rounds = {name: [] for name in servers}
        before_rounds = {name: [] for name in servers}
        nginx_rounds = []
        for number in range(args.rounds):
            for name in servers:
                print(f"tour {number + 1}/{args.rounds} : {name}", flush=True)
                rounds[name].append(measure_server(name, env, pages, cookies, args, str(script)))
                if args.before:
                    print(f"tour {number + 1}/{args.rounds} : {name} (avant)", flush=True)
                    before_rounds[name].append(
                        measure_server(
                            name,
                            env,
                            pages,
                            before_cookies,
                            args,
                            str(script),
                            args.before.resolve(),
                        )
                    )
            source = free_port()
            process = start(
                [str(BIN / "uvicorn"), "sonar.asgi:application", "--port", str(source),
                 "--lifespan", "off", "--log-level", "warning"], env,
            )  # fmt: skip
            try:
                wait_until_up(source)
                print(f"tour {number + 1}/{args.rounds} : nginx", flush=True)
                nginx_rounds.append(measure_nginx(pages, source, args, str(script), scratch))
            finally:
                stop(process)

    results = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "load_average_start": [round(x, 2) for x in load_at_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "connections": args.connections,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "workers": WORKERS,
        "pages": list(pages),
        "paths": pages,
        "servers": {name: medians(r) for name, r in rounds.items()},
        # Each round's total over the pages, per server: shows whether the ranking held.
        "round_totals_rps": {
            name: [round(sum(f[p]["rps"] for p in pages)) for f in r] for name, r in rounds.items()
        },
        "nginx": medians(nginx_rounds),
        "rows": [page + suffix for page in pages for suffix in cookies],
    }
    if args.before:
        results["before"] = {
            "code": str(args.before),
            "commit": subprocess.run(
                ["git", "-C", str(args.before), "rev-parse", "--short", "HEAD"],
                capture_output=True, text=True,
            ).stdout.strip(),
            "servers": {name: medians(r) for name, r in before_rounds.items()},
        }  # fmt: skip
    # Keep the fastest server that also serves the live stream: total pages' throughput.
    candidates = [s for s in servers if STREAMS.get(s)] or servers
    chosen = max(
        candidates, key=lambda s: sum(results["servers"][s][p]["rps"] for p in results["pages"])
    )
    results["chosen"] = chosen
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(results, indent=2) + "\n")
    summary = summarise(results, servers, chosen)
    (RESULTS / "pages.md").write_text(summary)
    print(summary)


if __name__ == "__main__":
    main()
