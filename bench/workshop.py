"""A live workshop at full size: 500 simulated participants join and answer six questions within
a minute, while the facilitator's screen follows the event stream. A benchmark, not a test.

    .venv/bin/python bench/workshop.py [--participants 500] [--seconds 60]

Two set-ups, each against real `sonar serve` processes:
  (a) the embedded default: one process on SQLite (a scratch database in a temporary directory);
  (b) two processes on PostgreSQL and Redis (a scratch database sonar_bench_ws_<pid> created on
      BENCH_POSTGRES_URL, by default postgres://postgres@127.0.0.1:5432/postgres, and dropped
      afterwards; Redis from BENCH_REDIS_URL, by default redis://127.0.0.1:6379/0). Participants
      are spread over both processes; the facilitator is connected to the second one, so most
      answers cross processes through Redis.
Every participant also keeps its own event stream open, as a phone on the participant page does.

Measured: answers acknowledged (HTTP 200) against answers stored (the facilitator's results
endpoint at the end); for each acknowledged answer, the time from its acknowledgement to the
first snapshot on the facilitator's stream whose version covers it (p50, p95, max; a snapshot
that arrived before the acknowledgement counts as 0 ms); the peak memory of the server processes
(PSS, and the sum of their RSS beside it). Figures go to bench/results/workshop.json and
bench/results/workshop.md.
Targets on two cores: nothing lost, p95 under 500 ms, under 300 MB.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
SONAR = str(Path(PYTHON).with_name("sonar"))
SEED = 2018
TARGET_P95_MS = 500
TARGET_MB = 300


# A minimal HTTP/1.1 client on asyncio streams: the benchmark needs nothing outside the project.


async def request(port, method, path, body=None, token=None):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = json.dumps(body).encode() if body is not None else b""
    headers = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
    ]
    if token:
        headers.append(f"Authorization: Bearer {token}")
    writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + payload)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _sep, content = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        content = dechunk(content)
    return status, json.loads(content) if content else None


def dechunk(data):
    out, rest = b"", data
    while rest:
        size_line, _sep, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


async def stream(port, path, token, on_snapshot, stop):
    """Read an event stream (chunked), calling on_snapshot(data, arrival time) for each event."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    headers = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: text/event-stream"]
    if token:
        headers.append(f"Authorization: Bearer {token}")
    writer.write(("\r\n".join(headers) + "\r\n\r\n").encode())
    await writer.drain()
    await reader.readuntil(b"\r\n\r\n")
    buffer = b""
    try:
        while not stop.is_set():
            size_line = await reader.readline()
            if not size_line:
                break
            size = int(size_line.strip() or b"0", 16)
            if size == 0:
                break
            buffer += await reader.readexactly(size)
            await reader.readexactly(2)
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                now = time.monotonic()
                for line in block.decode().splitlines():
                    if line.startswith("data: "):
                        on_snapshot(json.loads(line[6:]), now)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


# Servers.


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([SONAR, *args], env=env, check=True, capture_output=True, cwd=ROOT)


def start_servers(env, count):
    servers = []
    for _ in range(count):
        port = free_port()
        process = subprocess.Popen(
            [SONAR, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(env["SONAR_VAR_DIR"]) / f"server-{port}.log", "w"),  # noqa: SIM115
        )
        servers.append((port, process))
    for port, process in servers:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"sonar serve on port {port} did not start") from None
                time.sleep(0.2)
    return servers


def process_tree(pid):
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return pids


def _tree_kb(pid, file, field):
    """The sum of one field of /proc/<pid>/<file> over a process and its children, in kB."""
    total = 0
    for one in process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{one}/{file}").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
    return total


def rss_mb(pid):
    """Resident memory of a process and its children, in MB (pages shared between them, such
    as the libraries each maps, are counted once per process)."""
    return _tree_kb(pid, "status", "VmRSS:") / 1024


def pss_mb(pid):
    """Proportional set size of a process and its children, in MB: each page shared by n
    processes counts 1/n in each, so the sum over the server's processes is the memory they
    take together."""
    return _tree_kb(pid, "smaps_rollup", "Pss:") / 1024


def stop_servers(servers):
    for _port, process in servers:
        process.terminate()
    for _port, process in servers:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The workshop.


async def run_workshop(ports, participants, seconds, facilitator_port):
    rng = random.Random(SEED)
    status, created = await request(
        ports[0], "POST", "/api/v1/workshops",
        {"questionnaire": "style", "title": "Banc d’essai", "mode": "self-paced"},
    )  # fmt: skip
    assert status == 201, created
    code, facilitator = created["code"], created["facilitator_token"]
    status, quiz = await request(ports[0], "GET", "/api/v1/quiz/style")
    questions = [(q["key"], [c["key"] for c in q["choices"]]) for q in quiz["questions"]]

    stop = asyncio.Event()
    snapshots = []  # (arrival, version)

    def seen(data, now):
        snapshots.append((now, data["version"]))

    facilitator_stream = asyncio.create_task(
        stream(facilitator_port, f"/ateliers/{code}/flux", facilitator, seen, stop)
    )
    acks = []  # (ack time, version)
    round_trips = []  # ms from sending an answer to its acknowledgement
    failures = []
    participant_streams = []
    joined_by = seconds / 6
    start = time.monotonic()

    async def participant(index):
        port = ports[index % len(ports)]
        await asyncio.sleep(rng.uniform(0, joined_by))
        status, body = await request(port, "POST", f"/api/v1/workshops/{code}/participants")
        if status != 201:
            failures.append(("join", status, body))
            return
        token = body["participant_token"]
        participant_streams.append(
            asyncio.create_task(
                stream(port, f"/ateliers/{code}/flux", None, lambda d, n: None, stop)
            )
        )
        # Six answers spread over the rest of the minute, each after some reading time.
        slot = (seconds - joined_by - 5) / len(questions)
        for number, (key, choices) in enumerate(questions):
            due = start + joined_by + number * slot + rng.uniform(0, slot)
            await asyncio.sleep(max(0, due - time.monotonic()))
            sent = time.monotonic()
            status, answer = await request(
                port, "PUT", f"/api/v1/workshops/{code}/answers/{key}",
                {"choice": rng.choice(choices)}, token,
            )  # fmt: skip
            if status == 200:
                acks.append((time.monotonic(), answer["version"]))
                round_trips.append((time.monotonic() - sent) * 1000)
            else:
                failures.append(("answer", status, answer))

    await asyncio.gather(*(participant(i) for i in range(participants)))
    elapsed = time.monotonic() - start
    await asyncio.sleep(2)  # let the last snapshots arrive
    stop.set()
    status, results = await request(
        ports[0], "GET", f"/api/v1/workshops/{code}/results", token=facilitator
    )
    for task in [facilitator_stream, *participant_streams]:
        task.cancel()
    await asyncio.gather(facilitator_stream, *participant_streams, return_exceptions=True)

    latencies = []
    missing = 0
    for acked_at, version in acks:
        shown = next((t for t, v in snapshots if v >= version), None)
        if shown is None:
            missing += 1
        else:
            latencies.append(max(0.0, shown - acked_at) * 1000)
    stored = sum(sum(choices.values()) for choices in results["answers"].values())
    return {
        "participants_joined": results["participants"],
        "answers_acknowledged": len(acks),
        "answers_stored": stored,
        "failures": len(failures),
        "failure_examples": failures[:3],
        "answers_never_seen_by_facilitator": missing,
        "snapshots_received_by_facilitator": len(snapshots),
        "duration_s": round(elapsed, 1),
        "latency_ms": summary(latencies),
        "answer_round_trip_ms": summary(round_trips),
    }


def summary(values):
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max": round(ordered[-1], 1),
    }


def measure(env, server_count, participants, seconds):
    servers = start_servers(env, server_count)
    peak = {"rss": 0.0, "pss": 0.0}
    sampling = {"on": True}

    async def sample():
        while sampling["on"]:
            peak["rss"] = max(peak["rss"], sum(rss_mb(p.pid) for _port, p in servers))
            peak["pss"] = max(peak["pss"], sum(pss_mb(p.pid) for _port, p in servers))
            await asyncio.sleep(0.5)

    async def main():
        sampler = asyncio.create_task(sample())
        ports = [port for port, _p in servers]
        try:
            return await run_workshop(ports, participants, seconds, ports[-1])
        finally:
            sampling["on"] = False
            await sampler

    try:
        result = asyncio.run(main())
    finally:
        stop_servers(servers)
        if os.environ.get("BENCH_KEEP_LOGS"):
            for port, _p in servers:
                log = Path(env["SONAR_VAR_DIR"]) / f"server-{port}.log"
                Path(f"/tmp/bench-workshop-{port}.log").write_text(log.read_text())
    result["servers"] = server_count
    result["server_rss_peak_mb"] = round(peak["rss"], 1)
    result["server_pss_peak_mb"] = round(peak["pss"], 1)
    return result


def base_env(tmp):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "SONAR_VAR_DIR": tmp,
            "SECRET_KEY": "bench-" + "k" * 50,
            "SONAR_STATIC_MANIFEST": "0",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": "1",
        }
    )
    return env


def sqlite_run(participants, seconds):
    with tempfile.TemporaryDirectory() as tmp:
        env = base_env(tmp)
        manage(env, "migrate")
        manage(env, "load-content")
        return measure(env, 1, participants, seconds)


def postgres_run(participants, seconds):
    import psycopg

    admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    name = f"sonar_bench_ws_{os.getpid()}"
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.Error as exc:
        return {"skipped": f"PostgreSQL unreachable: {exc}"}
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="bench-ws-") as tmp:
            env = base_env(tmp)
            env["DATABASE_URL"] = urlunsplit(urlsplit(admin_url)._replace(path="/" + name))
            env["REDIS_URL"] = redis_url
            manage(env, "migrate")
            manage(env, "load-content")
            return measure(env, 2, participants, seconds)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def verdict(result):
    if "skipped" in result:
        return "skipped"
    latency = result["latency_ms"].get("p95", float("inf"))
    ok = (
        result["answers_acknowledged"] == result["answers_stored"]
        and result["failures"] == 0
        and latency < TARGET_P95_MS
        and result["server_pss_peak_mb"] < TARGET_MB
    )
    return "met" if ok else "missed"


def write(results, args):
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "participants": args.participants,
        "questions": 6,
        "seconds": args.seconds,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "targets": {"p95_ms": TARGET_P95_MS, "pss_mb": TARGET_MB, "lost": 0},
    }
    (RESULTS / "workshop.json").write_text(
        json.dumps({"meta": meta, "runs": results}, indent=2, ensure_ascii=False) + "\n"
    )
    lines = [
        "# Live workshop benchmark",
        "",
        f"{args.participants} simulated participants join and answer 6 questions within "
        f"{args.seconds} s (self-paced), each with its own event stream open; the facilitator "
        f"follows the stream. {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{meta['date']}. Produced by `bench/workshop.py`.",
        "",
        "| set-up | acknowledged | stored | failures | ack → facilitator p50 | p95 | max "
        "| answer round trip p50 / p95 | server memory: peak PSS (peak RSS sum) | targets |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, result in results.items():
        if "skipped" in result:
            lines.append(f"| {name} | {result['skipped']} | | | | | | | | skipped |")
            continue
        lat, trip = result["latency_ms"], result["answer_round_trip_ms"]
        lines.append(
            f"| {name} | {result['answers_acknowledged']} | {result['answers_stored']} "
            f"| {result['failures']} | {lat.get('p50')} ms | {lat.get('p95')} ms "
            f"| {lat.get('max')} ms "
            f"| {trip.get('p50')} / {trip.get('p95')} ms | {result['server_pss_peak_mb']} MB "
            f"({result['server_rss_peak_mb']} MB; {result['servers']} "
            f"server{'s' if result['servers'] > 1 else ''}) "
            f"| {verdict(result)} |"
        )
    lines += [
        "",
        f"Targets: nothing lost (acknowledged = stored), p95 under {TARGET_P95_MS} ms, "
        f"under {TARGET_MB} MB of server memory.",
        "",
        "Server memory is sampled every 0.5 s over every process of the servers: each "
        "`sonar serve` is granian's main process (without Django, sonar/supervise.py) and "
        "one worker. PSS, the proportional set size, counts a page shared by several processes "
        "(the Python library, granian's, OpenSSL's) once in all; the target is judged on it. "
        "The sum of the processes' RSS, which counts those pages once per process, is shown "
        "beside it.",
        "",
        "The facilitator's latency is measured from the moment a participant's answer is "
        "acknowledged to the first snapshot on the facilitator's stream whose version covers it; "
        "0 ms means the snapshot had already arrived (the snapshot is published as soon as the "
        "answer is committed, before the HTTP response leaves). The client, the servers, "
        "PostgreSQL and Redis share the same two cores.",
        "",
    ]
    (RESULTS / "workshop.md").write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    runs = {}
    if args.only in (None, "sqlite"):
        runs["SQLite, 1 process"] = sqlite_run(args.participants, args.seconds)
        print(json.dumps(runs["SQLite, 1 process"], indent=2))
    if args.only in (None, "postgres"):
        runs["PostgreSQL + Redis, 2 processes"] = postgres_run(args.participants, args.seconds)
        print(json.dumps(runs["PostgreSQL + Redis, 2 processes"], indent=2))
    write(runs, args)


if __name__ == "__main__":
    main()
