"""How time and memory grow: the catalogue (with and without two facets), the sea chart and the
search with 100, 1,000 and 10,000 resources; a workshop of 500 participants; 50 workshops of 20
participants at once. A benchmark, not a test.

    .venv/bin/python bench/scale.py [--sizes 100 1000 10000] [--requests 30]
                                    [--rooms 50] [--per-room 20] [--seconds 60]
                                    [--skip-rooms] [--room-processes 1 2]

Pages. For each size, a builder process makes a scratch SQLite database (reference content
loaded, then synthetic resources up to the size, with the French texts of bench/search.py's
generator and facets, positions and relations drawn with a fixed seed; search index rebuilt);
then a fresh serving process loads the pages through Django's test client (the whole middleware
stack, DEBUG off): the first request of each page (cold: the sea chart's layout is computed and
cached then), then --requests more (median and p95), and its resident memory before the first
request and at its peak (VmHWM). The whole-page cache for anonymous visitors is turned off
(SONAR_PAGE_CACHE_SECONDS=0): these are rendering costs, what an edit of the content brings back.

Workshops. The 500-participant figures are those of bench/workshop.py (bench/results/
workshop.json; run it for new ones). The 50 rooms of 20 are measured here against one `sonar
serve` on SQLite (the embedded default), then against two worker processes sharing the live
fan-out through Redis (SONAR_BENCH_REDIS_URL, redis://127.0.0.1:6379/15 by default, emptied
first), with bench/workshop.py's client: 1,000 participants
join and answer six questions within --seconds, each with its event stream open, and each
room's facilitator follows its stream. Reported: answers acknowledged against answers stored
(each room's results endpoint), acknowledgement → facilitator snapshot latency (p50, p95, max),
the server's peak memory.

Figures go to bench/results/scale.json and bench/results/scale.md.
"""

import argparse
import asyncio
import itertools
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

import search as search_bench  # noqa: E402  (bench/search.py: the text generator)
import workshop as workshop_bench  # noqa: E402  (bench/workshop.py: client, servers, memory)

SIZES = (100, 1_000, 10_000)
SEED = 2018
PAGES = {
    "catalogue": "/carte/ressources/",
    "catalogue-2-facets": "/carte/ressources/?kind=methode&vision=democratie",
    "sea-chart": "/carte/",
    "search": "/recherche/?q=budget+participatif",
}


def child_env(database):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sonar.settings",
            "DATABASE_URL": f"sqlite:///{database}",
            "SONAR_VAR_DIR": str(Path(database).parent),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "SONAR_PAGE_CACHE_SECONDS": "0",
            "SONAR_STATIC_MANIFEST": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def build(size):
    """Builder process: reference content, then synthetic resources up to `size`."""
    import django

    django.setup()
    from django.core.management import call_command

    from sonar.atlas import search
    from sonar.atlas.models import Kind, Profile, Resource, Vision

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    missing = max(0, size - Resource.objects.count())
    rng = random.Random(SEED + size)
    slugs = [f"synthetique-{n}" for n in range(1, missing + 1)]
    resources = []
    for n, title, summary, body in search_bench.synthetic_resources(missing):
        resources.append(
            Resource(
                slug=f"synthetique-{n}",
                kind=rng.choice(Kind.values),
                title_fr=title,
                title_en=title,
                summary_fr=summary,
                summary_en=summary,
                description_fr=body,
                description_en=body,
                when_to_use_fr="",
                when_to_use_en="",
                when_not_to_use_fr="",
                when_not_to_use_en="",
                controversies_fr="",
                controversies_en="",
                visions=" " + " ".join(rng.sample(Vision.values, rng.randint(1, 2))) + " ",
                profiles=" " + " ".join(rng.sample(Profile.values, rng.randint(1, 2))) + " ",
                focus=rng.randint(-100, 100),
                maturity=rng.randint(-100, 100),
                combines_with=rng.sample(slugs, min(2, len(slugs))),
                in_tension_with=rng.sample(slugs, min(1, len(slugs))),
            )
        )
    Resource.objects.bulk_create(resources, batch_size=1000)
    search.rebuild()
    return {"resources": Resource.objects.count()}


def status_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class PageTooSlow(Exception):
    pass


def too_slow(_signum, _frame):
    raise PageTooSlow


def serve(requests, budget):
    """Serving process: every page through the test client, cold then warm; memory. A page
    whose first request takes more than `budget` seconds is stopped and reported as such."""
    import django

    signal.signal(signal.SIGALRM, too_slow)

    django.setup()
    from django.test import Client

    client = Client()
    rss_start = status_kb("VmRSS") / 1024
    figures = {}
    for name, path in PAGES.items():
        started = time.perf_counter()
        signal.alarm(budget)
        try:
            response = client.get(path)
        except PageTooSlow:
            figures[name] = {"timed_out_after_s": budget}
            continue
        finally:
            signal.alarm(0)
        first = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        figures[name] = {
            "first_ms": round(first, 1),
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 1),
            "bytes": len(response.content),
        }
    return {
        "pages": figures,
        "rss_start_mb": round(rss_start, 1),
        "rss_peak_mb": round(status_kb("VmHWM") / 1024, 1),
    }


def run_child(args, env):
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(f"bench/scale.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_pages(sizes, requests, budget):
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="sonar-bench-scale-") as tmp:
            env = child_env(Path(tmp) / "scale.sqlite3")
            print(f"{size} ressources : construction", flush=True)
            started = time.perf_counter()
            built = run_child(["--build", str(size)], env)
            built["build_seconds"] = round(time.perf_counter() - started, 1)
            print(f"{size} ressources : {requests} requêtes par page", flush=True)
            served = run_child(
                ["--serve", "--requests", str(requests), "--budget", str(budget)], env
            )
            rows.append({"size": size, **built, **served})
    return rows


def ratios(rows):
    """Growth between consecutive sizes: time (median, first) and peak memory."""
    out = []
    for small, large in itertools.pairwise(rows):
        entry = {"from": small["size"], "to": large["size"], "pages": {}}
        for page in PAGES:
            a, b = small["pages"][page], large["pages"][page]
            if "median_ms" not in a or "median_ms" not in b:
                entry["pages"][page] = {"median": None, "first": None, "bytes": None}
                continue
            entry["pages"][page] = {
                "median": round(b["median_ms"] / a["median_ms"], 2),
                "first": round(b["first_ms"] / a["first_ms"], 2),
                "bytes": round(b["bytes"] / a["bytes"], 2),
            }
        entry["rss_peak"] = round(large["rss_peak_mb"] / small["rss_peak_mb"], 2)
        out.append(entry)
    return out


# 50 workshops of 20 at once.


async def run_rooms(port, rooms, per_room, seconds):
    ws = workshop_bench
    rng = random.Random(SEED)
    status, quiz = await ws.request(port, "GET", "/api/v1/quiz/style")
    questions = [(q["key"], [c["key"] for c in q["choices"]]) for q in quiz["questions"]]
    stop = asyncio.Event()
    rooms_state = []
    for number in range(rooms):
        status, created = await ws.request(
            port, "POST", "/api/v1/workshops",
            {"questionnaire": "style", "title": f"Salle {number + 1}", "mode": "self-paced"},
        )  # fmt: skip
        assert status == 201, created
        room = {"code": created["code"], "token": created["facilitator_token"], "snapshots": []}
        room["task"] = asyncio.create_task(
            ws.stream(
                port, f"/ateliers/{room['code']}/flux", room["token"],
                lambda data, now, room=room: room["snapshots"].append((now, data["version"])),
                stop,
            )
        )  # fmt: skip
        rooms_state.append(room)
    acks, round_trips, failures, streams = [], [], [], []
    joined_by = seconds / 6
    start = time.monotonic()

    async def participant(room):
        await asyncio.sleep(rng.uniform(0, joined_by))
        code = room["code"]
        status, body = await ws.request(port, "POST", f"/api/v1/workshops/{code}/participants")
        if status != 201:
            failures.append(("join", status, body))
            return
        token = body["participant_token"]
        streams.append(
            asyncio.create_task(
                ws.stream(port, f"/ateliers/{code}/flux", None, lambda d, n: None, stop)
            )
        )
        slot = (seconds - joined_by - 5) / len(questions)
        for number, (key, choices) in enumerate(questions):
            due = start + joined_by + number * slot + rng.uniform(0, slot)
            await asyncio.sleep(max(0, due - time.monotonic()))
            sent = time.monotonic()
            status, answer = await ws.request(
                port, "PUT", f"/api/v1/workshops/{code}/answers/{key}",
                {"choice": rng.choice(choices)}, token,
            )  # fmt: skip
            if status == 200:
                acks.append((room, time.monotonic(), answer["version"]))
                round_trips.append((time.monotonic() - sent) * 1000)
            else:
                failures.append(("answer", status, answer))

    await asyncio.gather(*(participant(room) for room in rooms_state for _ in range(per_room)))
    elapsed = time.monotonic() - start
    await asyncio.sleep(2)  # the last snapshots
    stop.set()
    stored = joined = 0
    for room in rooms_state:
        status, results = await ws.request(
            port, "GET", f"/api/v1/workshops/{room['code']}/results", token=room["token"]
        )
        stored += sum(sum(choices.values()) for choices in results["answers"].values())
        joined += results["participants"]
    tasks = [room["task"] for room in rooms_state] + streams
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies, missing = [], 0
    for room, acked_at, version in acks:
        shown = next((t for t, v in room["snapshots"] if v >= version), None)
        if shown is None:
            missing += 1
        else:
            latencies.append(max(0.0, shown - acked_at) * 1000)
    return {
        "rooms": rooms,
        "participants_per_room": per_room,
        "participants_joined": joined,
        "answers_acknowledged": len(acks),
        "answers_stored": stored,
        "failures": len(failures),
        "failure_examples": failures[:3],
        "answers_never_seen_by_facilitator": missing,
        "duration_s": round(elapsed, 1),
        "latency_ms": ws.summary(latencies),
        "answer_round_trip_ms": ws.summary(round_trips),
    }


def redis_url():
    """A Redis database for the two-process set-up, emptied first; None when none answers."""
    url = os.environ.get("SONAR_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
    except Exception:  # no Redis: that set-up is skipped, and said so
        return None
    return url


def measure_rooms(rooms, per_room, seconds, processes=1):
    ws = workshop_bench
    with tempfile.TemporaryDirectory(prefix="sonar-bench-rooms-") as tmp:
        env = ws.base_env(tmp)
        set_up = "SQLite, 1 process (sonar serve)"
        if processes > 1:
            # Several worker processes share the live fan-out through Redis, as deployed.
            url = redis_url()
            if url is None:
                return None
            env.update({"WEB_CONCURRENCY": str(processes), "REDIS_URL": url})
            set_up = f"SQLite + Redis, {processes} processes (sonar serve)"
        ws.manage(env, "migrate")
        ws.manage(env, "load-content")
        servers = ws.start_servers(env, 1)
        port, process = servers[0]
        peak = {"rss": 0.0, "pss": 0.0}
        sampling = {"on": True}

        async def sample():
            while sampling["on"]:
                peak["rss"] = max(peak["rss"], ws.rss_mb(process.pid))
                peak["pss"] = max(peak["pss"], ws.pss_mb(process.pid))
                await asyncio.sleep(0.5)

        async def main():
            sampler = asyncio.create_task(sample())
            try:
                return await run_rooms(port, rooms, per_room, seconds)
            finally:
                sampling["on"] = False
                await sampler

        try:
            result = asyncio.run(main())
        finally:
            ws.stop_servers(servers)
    result["server_rss_peak_mb"] = round(peak["rss"], 1)
    result["server_pss_peak_mb"] = round(peak["pss"], 1)
    result["set_up"] = set_up
    return result


def memory(run):
    """Peak PSS of the server's processes, with the sum of their RSS (which counts shared pages
    once per process) beside it; runs written before PSS was sampled have the RSS alone."""
    if "server_pss_peak_mb" not in run:
        return f"RSS {run['server_rss_peak_mb']} MB"
    return f"{run['server_pss_peak_mb']} MB ({run['server_rss_peak_mb']} MB)"


def workshop_500():
    """bench/workshop.py's latest figures, as written in bench/results/workshop.json."""
    path = RESULTS / "workshop.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


# Report.


def sea_chart_note(rows):
    """What the sea chart does past its ceiling, with this run's own figures."""
    measured = []
    for row in rows:
        f = row["pages"].get("sea-chart", {})
        if "first_ms" in f:
            measured.append(
                f"{row['size']:,} resources: first request {f['first_ms']} ms, "
                f"HTML {f['bytes'] / 1024:.0f} KB"
            )
        elif "timed_out_after_s" in f:
            measured.append(f"{row['size']:,} resources: stopped after {f['timed_out_after_s']} s")
    return (
        "The sea chart lays out only what it draws: at most `CEILING` marks per drawing "
        "(300 in sonar/atlas/seachart.py when written), and no region of the chart more "
        "nodes than it has room for. "
        "Past that, the resources of the most crowded regions (a focus band crossed with a "
        "maturity band) are drawn as one numbered circle that links to the catalogue filtered "
        "to that region; the selection and its links stay on their own. Its layout time and "
        "its HTML follow the marks drawn rather than the number of resources (the first request "
        "still reads every resource of the filters once): " + "; ".join(measured) + "."
    )


def summarise(document):
    rows = document["pages"]
    lines = [
        "# Scale",
        "",
        f"{document['date']}, {document['machine']}. Written by `bench/scale.py`; SQLite, "
        f"Django's test client in a fresh process per size, whole-page cache off, "
        f"{document['requests']} timed requests per page after a first (cold) one.",
        "",
        "## Pages by number of resources",
        "",
        "| resources | page | first (ms) | median (ms) | p95 (ms) | HTML (KB) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        for page, f in row["pages"].items():
            if "timed_out_after_s" in f:
                lines.append(
                    f"| {row['size']:,} | {page} | stopped after {f['timed_out_after_s']} s | | | |"
                )
                continue
            lines.append(
                f"| {row['size']:,} | {page} | {f['first_ms']} | {f['median_ms']} | "
                f"{f['p95_ms']} | {f['bytes'] / 1024:.1f} |"
            )
    lines += [
        "",
        "| resources | serving process RSS before the first request (MB) | peak RSS (MB) "
        "| database build (s) |",
        "|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['size']:,} | {row['rss_start_mb']} | {row['rss_peak_mb']} | "
            f"{row['build_seconds']} |"
        )
    if document["growth"]:
        lines += [
            "",
            "Growth (ratio of the larger size to the smaller; ×10 resources each step):",
            "",
            "| step | " + " | ".join(f"{p} median / first" for p in PAGES) + " | peak RSS |",
            "|---|" + "---:|" * (len(PAGES) + 1),
        ]
        for g in document["growth"]:
            cells = [
                f"{g['pages'][p]['median'] or '–'} / {g['pages'][p]['first'] or '–'}" for p in PAGES
            ]
            lines.append(
                f"| {g['to']:,}/{g['from']:,} | " + " | ".join(cells) + f" | {g['rss_peak']} |"
            )
    lines += ["", "## Workshops", ""]
    w500 = document.get("workshop_500")
    if w500:
        lines += [
            f"One workshop of {w500['meta']['participants']} participants (from "
            f"`bench/workshop.py`, {w500['meta']['date']}):",
            "",
            "| set-up | acknowledged | stored | ack → facilitator p50 / p95 "
            "| peak PSS (peak RSS sum) |",
            "|---|---:|---:|---|---:|",
        ]
        for name, run in w500["runs"].items():
            if "skipped" in run:
                continue
            lines.append(
                f"| {name} | {run['answers_acknowledged']} | {run['answers_stored']} | "
                f"{run['latency_ms'].get('p50')} / {run['latency_ms'].get('p95')} ms | "
                f"{memory(run)} |"
            )
        lines.append("")
    runs = [run for run in document.get("rooms") or [] if run]
    if runs:
        first = runs[0]
        lines += [
            f"{first['rooms']} workshops of {first['participants_per_room']} at once (each "
            "participant with its event stream open, each facilitator following its room's "
            "stream):",
            "",
            "| set-up | joined | acknowledged | stored | failures | never seen by the facilitator"
            " | ack → facilitator p50 / p95 / max | answer round trip p50 / p95 | duration | "
            "peak PSS (peak RSS sum) |",
            "|---|---:|---:|---:|---:|---:|---|---|---:|---:|",
        ]
        for run in runs:
            lat, trip = run["latency_ms"], run["answer_round_trip_ms"]
            lines.append(
                f"| {run['set_up']} | {run['participants_joined']} | "
                f"{run['answers_acknowledged']} | {run['answers_stored']} | {run['failures']} | "
                f"{run['answers_never_seen_by_facilitator']} | {lat.get('p50')} / "
                f"{lat.get('p95')} / {lat.get('max')} ms | {trip.get('p50')} / {trip.get('p95')}"
                f" ms | {run['duration_s']} s for {document.get('room_seconds', '?')} s planned | "
                f"{memory(run)} |"
            )
        lines.append("")
    lines += [f"Note: {note}" for note in document["notes"]]
    return "\n".join(lines).rstrip() + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES))
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--per-room", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--skip-rooms", action="store_true")
    parser.add_argument("--room-processes", nargs="+", type=int, default=[1, 2])
    parser.add_argument(
        "--budget", type=int, default=180, help="seconds allowed to one page's first request"
    )
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build is not None:
        print(json.dumps(build(args.build)))
        return
    if args.serve:
        print(json.dumps(serve(args.requests, args.budget)))
        return
    rows = measure_pages(sorted(args.sizes), args.requests, args.budget)
    document = {
        "benchmark": "scale",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "requests": args.requests,
        "pages": rows,
        "growth": ratios(rows),
        "workshop_500": workshop_500(),
        "rooms": None,
        "notes": [sea_chart_note(rows)],
    }
    if not args.skip_rooms:
        document["rooms"] = []
        document["room_seconds"] = args.seconds
        for processes in args.room_processes:
            print(f"{args.rooms} ateliers de {args.per_room}, {processes} processus", flush=True)
            run = measure_rooms(args.rooms, args.per_room, args.seconds, processes)
            if run is None:
                document["notes"].append(
                    f"{processes} processes: skipped, no Redis at SONAR_BENCH_REDIS_URL."
                )
            document["rooms"].append(run)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    summary = summarise(document)
    (RESULTS / "scale.md").write_text(summary)
    print(summary)


if __name__ == "__main__":
    main()
