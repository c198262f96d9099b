"""Lighthouse 12.2.3 (npm, pinned in bench/lighthouse/) with the system Chromium, in mobile
emulation (Lighthouse's default form factor and simulated throttling), on the main public pages
of a production-like `sonar serve`. A benchmark, not a test.

    .venv/bin/python bench/lighthouse.py [--runs 1] [--pages accueil,carte]

The server runs as a metropole would run it: DEBUG off, static files collected (fingerprinted,
compressed, served by WhiteNoise with a year's cache), a scratch SONAR_VAR_DIR (SQLite) with the
reference content loaded and one style result recorded. Lighthouse is installed with
`npm ci --prefix bench/lighthouse` when missing (`make bench` does it). Chromium comes from
CHROME_PATH, by default /usr/bin/chromium.

Figures go to bench/results/lighthouse.json and bench/results/lighthouse.md: per page, the four
category scores (performance, accessibility, best practices, SEO; the median over --runs), the
page weight (bytes transferred and requests) and, for a score below its target, the audits that
cost points. Targets: performance ≥ 95, accessibility 100, best practices ≥ 95, SEO ≥ 95.
"""

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PACKAGE = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = PACKAGE / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.2.3"
SONAR = str(Path(sys.executable).with_name("sonar"))
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}

# name → path; {result} is filled in once the scratch database holds a result.
PAGES = {
    "accueil": "/",
    "diagnostic-debut": "/diagnostic/style/",
    "diagnostic-question": "/diagnostic/style/question/1/",
    "resultat": "/diagnostic/resultat/{result}/",
    "carte": "/carte/",
    "trajectoires": "/trajectoires/",
}

RESULT_SCRIPT = """
from sonar.quiz import data
from sonar.quiz.models import Result
quiz = data.get('style')
answers = {q.key: q.choices[i % len(q.choices)].key for i, q in enumerate(quiz.questions)}
result = Result.objects.record(quiz.id, answers, quiz.score(answers), 'bench')
print('BENCH', result.token)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def install_lighthouse():
    """`npm ci` from the pinned lock file, once."""
    installed = PACKAGE / "node_modules" / "lighthouse" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == VERSION:
        return
    print(f"Installation de Lighthouse {VERSION} (npm ci)…", flush=True)
    subprocess.run(
        ["npm", "ci", "--prefix", str(PACKAGE), "--no-audit", "--no-fund", "--ignore-scripts"],
        check=True,
    )


def prepare(scratch):
    """A scratch production-like deployment; returns its environment and the paths to audit."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sonar.settings",
        "SONAR_VAR_DIR": str(scratch),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "SONAR_BASE_URL"):
        env.pop(name, None)
    quiet = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([SONAR, "migrate"], **quiet)
    subprocess.run([SONAR, "load-content"], **quiet)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], **quiet)
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", RESULT_SCRIPT],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    token = next(line for line in out.splitlines() if line.startswith("BENCH ")).split()[1]
    return env, {name: path.format(result=token) for name, path in PAGES.items()}


def serve(env, scratch):
    port = free_port()
    process = subprocess.Popen(
        [SONAR, "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(scratch / "server.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return port, process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("sonar serve ne démarre pas") from None
            time.sleep(0.3)


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def audit(url, out, attempts=3):
    """One Lighthouse run; a run that fails (Chromium timing out on a loaded machine) is
    retried, and the last failure is shown."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in range(attempts):
        done = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
             f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(CATEGORIES)],
            env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        if done.returncode == 0:
            report = json.loads(out.read_text())
            if not report.get("runtimeError"):
                return report
            problem = report["runtimeError"].get("message", "runtimeError")
        else:
            problem = done.stderr[-2000:]
        print(f"  échec de Lighthouse (essai {attempt + 1}/{attempts}) : {problem}", flush=True)
    raise RuntimeError(f"Lighthouse a échoué sur {url} : {problem}")


def figures(report):
    """Scores (0–100), page weight and the audits that cost points, from one Lighthouse report."""
    audits = report["audits"]
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    requests = audits["network-requests"]["details"]["items"]
    losing = {}
    for category in CATEGORIES:
        refs = report["categories"][category]["auditRefs"]
        losing[category] = [
            {
                "id": ref["id"],
                "title": audits[ref["id"]]["title"],
                "score": audits[ref["id"]]["score"],
                "display": audits[ref["id"]].get("displayValue", ""),
            }
            for ref in refs
            if ref["weight"] > 0
            and audits[ref["id"]]["score"] is not None
            and audits[ref["id"]]["score"] < 1
        ]
    return {
        "scores": scores,
        "total_bytes": round(audits["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "bytes_by_type": {
            kind: sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") == kind)
            for kind in sorted({r.get("resourceType") for r in requests if r.get("resourceType")})
        },
        "metrics": {
            key: round(audits[key]["numericValue"])
            for key in (
                "first-contentful-paint",
                "largest-contentful-paint",
                "total-blocking-time",
                "speed-index",
            )
        },
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "losing_audits": losing,
        "run_warnings": report.get("runWarnings", []),
    }


def median_run(runs):
    """The run whose performance score is the median (Lighthouse's advice for several runs)."""
    ordered = sorted(runs, key=lambda r: r["scores"]["performance"])
    return ordered[len(ordered) // 2]


def summarise(document):
    lines = [
        "# Lighthouse",
        "",
        f"Lighthouse {VERSION} with the system Chromium, mobile emulation (default form factor, "
        f"simulated throttling), {document['runs']} run(s) per page (the median run is shown), "
        f"on `sonar serve` with DEBUG off and static files collected; {document['date']}, "
        f"{document['machine']} (load average {document['load_average_at_start'][0]} at the "
        f"start, {document['load_average_at_end'][0]} at the end). Written by "
        "`bench/lighthouse.py`.",
        "",
        "| page | path | performance (runs) | accessibility | best practices | SEO | weight (KB) "
        "| requests | LCP (ms) | TBT (ms) | CLS |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in document["pages"].items():
        s = page["scores"]
        marks = {
            c: f"{s[c]}" + ("" if s[c] >= TARGETS[c] else " ✗") for c in CATEGORIES
        }  # fmt: skip
        lines.append(
            f"| {name} | `{page['path']}` | {marks['performance']} "
            f"({', '.join(map(str, page['scores_all_runs']['performance']))}) | "
            f"{marks['accessibility']} | "
            f"{marks['best-practices']} | {marks['seo']} | {page['total_bytes'] / 1024:.1f} | "
            f"{page['requests']} | {page['metrics']['largest-contentful-paint']} | "
            f"{page['metrics']['total-blocking-time']} | {page['cls']} |"
        )
    lines += [
        "",
        "Targets: performance ≥ 95, accessibility 100, best practices ≥ 95, SEO ≥ 95 (✗ below).",
    ]
    below = [
        (name, c, page)
        for name, page in document["pages"].items()
        for c in CATEGORIES
        if page["scores"][c] < TARGETS[c]
    ]
    if below:
        lines += ["", "## Below a target", ""]
        for name, category, page in below:
            items = "; ".join(
                f"{a['title']}" + (f" ({a['display']})" if a["display"] else "")
                for a in page["losing_audits"][category]
            )
            lines.append(f"- {name}, {category} {page['scores'][category]}: {items}")
    lines += [""] + [f"Note: {note}" for note in document["notes"]]
    return "\n".join(lines).rstrip() + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--keep-reports", type=Path, help="copy the raw JSON reports here")
    args = parser.parse_args()
    install_lighthouse()
    chosen = [p for p in args.pages.split(",") if p]
    document = {
        "benchmark": "lighthouse",
        "lighthouse": VERSION,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "form_factor": "mobile",
        "runs": args.runs,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "targets": TARGETS,
        "pages": {},
        "notes": [
            'A result is served with `<meta name="robots" content="noindex">` and '
            "`X-Robots-Tag: noindex` on purpose: it is one visitor's own answers, reached by a "
            "link only they have, and it has no business in a search engine. Lighthouse's SEO "
            "audit “Page is blocked from indexing” fails on it and weighs so much that the SEO "
            "score falls to 60 whatever else is right: we keep noindex and report the score as "
            "measured; every other SEO audit passes on that page (see losing audits). The quiz's "
            "questions are the journal's, public: they are indexable.",
            "Pages are sent gzip-compressed by `sonar serve` when they are kept for visitors "
            "without a session and hold no form token (sonar/core/frontcache.py; a page with a "
            "CSRF token is sent as it is, against compression side channels); static files are "
            "compressed by WhiteNoise. Behind the proxy the README describes, "
            "`gzip on; gzip_types text/html application/json;` compresses the others.",
            "Simulated throttling multiplies the main thread's work by 4: on this shared machine "
            "(other processes ran meanwhile) Total Blocking Time, hence the performance score, "
            "varies by a few points from run to run; hence the median of several runs.",
        ],
    }
    with tempfile.TemporaryDirectory(prefix="sonar-bench-lighthouse-") as tmp:
        scratch = Path(tmp)
        env, pages = prepare(scratch)
        port, process = serve(env, scratch)
        try:
            for name in chosen:
                url = f"http://127.0.0.1:{port}{pages[name]}"
                runs = []
                for number in range(args.runs):
                    print(f"{name} ({number + 1}/{args.runs}) : {url}", flush=True)
                    report = audit(url, scratch / f"{name}-{number}.json")
                    if args.keep_reports:
                        args.keep_reports.mkdir(parents=True, exist_ok=True)
                        (args.keep_reports / f"{name}-{number}.json").write_text(json.dumps(report))
                    runs.append(figures(report))
                page = median_run(runs)
                page["path"] = pages[name]
                page["scores_all_runs"] = {
                    c: [r["scores"][c] for r in runs] for c in CATEGORIES
                }  # fmt: skip
                page["median_scores"] = {
                    c: statistics.median(r["scores"][c] for r in runs) for c in CATEGORIES
                }
                document["pages"][name] = page
        finally:
            stop(process)
    document["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "lighthouse.json").write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    )
    summary = summarise(document)
    (RESULTS / "lighthouse.md").write_text(summary)
    print(summary)


if __name__ == "__main__":
    main()
