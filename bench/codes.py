"""Guessing workshop codes against the real limits, and a room of 500 behind the same address.

    .venv/bin/python bench/codes.py [--people 500]

A benchmark, not a test (tests/security/test_code_guessing.py holds the rules with small
limits). A scratch SQLite database gets the reference content and one workshop; every request
goes through Django's test client (the whole middleware stack), all from one network address,
the town hall's NAT. Two stories:

1. A colleague's browser that mistypes (it keeps its cookies): how many wrong codes before it
   is refused; then --people people type the right code.
2. A guesser that clears its cookies before every try: how many wrong codes before its network
   is refused; then, while it keeps guessing between two arrivals, --people people type the
   right code, then --people others scan the QR code (the room link); and the people already
   in keep their pages.

Figures go to bench/results/codes.json and bench/results/codes.md.
"""

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
NAT = "198.51.100.20"


def setup(directory):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "sonar.settings",
            "DATABASE_URL": f"sqlite:///{directory}/codes.sqlite3",
            "SONAR_VAR_DIR": directory,
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "ERROR",
            "SONAR_STATIC_MANIFEST": "0",
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    # Every refused try would print a warning.
    logging.getLogger("django.request").setLevel(logging.ERROR)


def client():
    from django.test import Client

    return Client(REMOTE_ADDR=NAT)


def join(browser, code):
    from django.urls import reverse

    started = time.perf_counter()
    status = browser.post(reverse("workshops:join"), {"code": code}).status_code
    return status, (time.perf_counter() - started) * 1000


def room_link_join(code):
    from django.urls import reverse

    from sonar.workshops import access

    browser = client()
    key = access.room_key(code)
    link = f"{reverse('workshops:participant', args=[code])}?cle={key}"
    started = time.perf_counter()
    shown = browser.get(link).status_code
    status = browser.post(link, {"cle": key, "pseudonym": ""}).status_code
    return (status if shown == 200 else shown), (time.perf_counter() - started) * 1000, browser


def wrong_codes():
    n = 0
    while True:
        n += 1
        yield f"ZZ{n:04d}".replace("0", "Z").replace("1", "Y")[:6]


def until_refused(browser_for_each_try):
    for tries, code in enumerate(wrong_codes(), start=1):
        status, _ms = join(browser_for_each_try(), code)
        if status == 429:
            return tries - 1
        if tries > 10_000:
            return None
    return None


def room(code, people, between=None):
    statuses, times = [], []
    for _ in range(people):
        status, ms = join(client(), code)
        statuses.append(status)
        times.append(ms)
        if between:
            between()
    return statuses, times


def summary(statuses, times):
    return {
        "joined": statuses.count(302),
        "refused_429": statuses.count(429),
        "other": len(statuses) - statuses.count(302) - statuses.count(429),
        "median_ms": round(statistics.median(times), 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup(directory)
        from django.core.cache import cache

        from sonar.quiz import data
        from sonar.workshops import access, actions

        workshop, _token = actions.create_workshop(data.get("style"), "Plénière", "self-paced")
        code = workshop.code
        results = {
            "date": date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cœurs",
            "people": args.people,
            "limits": {
                "network": access.WRONG_CODE_LIMIT,
                "browser": access.CLIENT_LIMIT,
                "window_seconds": access.WRONG_CODE_WINDOW_SECONDS,
            },
        }

        # 1. A browser that mistypes, keeping its cookies.
        cache.clear()
        colleague = client()
        results["mistyping_browser"] = {
            "wrong_codes_before_refused": until_refused(lambda: colleague),
            "typed_code": summary(*room(code, args.people)),
        }

        # 2. A guesser that clears its cookies before every try.
        cache.clear()
        guessed = {"tries": 0, "refused": 0}
        guesses = wrong_codes()

        def guess_again():
            guessed["tries"] += 1
            status, _ms = join(client(), next(guesses))
            guessed["refused"] += status == 429

        before = until_refused(client)
        typed = summary(*room(code, args.people, between=guess_again))
        linked_statuses, linked_times, browsers = [], [], []
        for _ in range(args.people):
            status, ms, browser = room_link_join(code)
            linked_statuses.append(status)
            linked_times.append(ms)
            browsers.append(browser)
            guess_again()
        still_in = sum(
            b.get(f"/ateliers/{code}/").status_code == 200
            for b in browsers[: min(50, len(browsers))]
        )
        results["cookie_clearing_guesser"] = {
            "wrong_codes_before_refused": before,
            "guesses_during_the_room": guessed["tries"],
            "guesses_refused": guessed["refused"],
            "typed_code": typed,
            "room_link": summary(linked_statuses, linked_times),
            "joined_pages_still_answering": f"{still_in}/{min(50, len(browsers))}",
        }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "codes.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "codes.md").write_text(markdown(results))
    print(markdown(results))


def markdown(r):
    a, b = r["mistyping_browser"], r["cookie_clearing_guesser"]
    n = r["people"]
    rows = [
        "| histoire | codes erronés avant refus | "
        f"{n} personnes saisissent le code | {n} personnes scannent le QR code |",
        "| --- | --- | --- | --- |",
        f"| un navigateur qui se trompe (garde ses cookies) | {a['wrong_codes_before_refused']} "
        f"| {_joined(a['typed_code'])} | — |",
        f"| quelqu’un qui devine en effaçant ses cookies | {b['wrong_codes_before_refused']} "
        f"| {_joined(b['typed_code'])} | {_joined(b['room_link'])} |",
    ]
    limits = r["limits"]
    return f"""# Codes d’atelier devinés, et une salle derrière un même NAT

{r["date"]}, {r["machine"]}, `bench/codes.py --people {n}` (client de test de Django,
SQLite, une seule adresse réseau pour tout le monde). Limites : {limits["browser"]} codes
erronés par navigateur, {limits["network"]} par réseau, en {limits["window_seconds"] // 60}
minutes.

{chr(10).join(rows)}

Pendant l’arrivée de la salle, la personne qui devine a encore essayé
{b["guesses_during_the_room"]} codes : {b["guesses_refused"]} refusés. Les personnes déjà
entrées gardent leur page : {b["joined_pages_still_answering"]}.
"""


def _joined(figures):
    return (
        f"{figures['joined']} entrent, {figures['refused_429']} refusées "
        f"(médiane {figures['median_ms']} ms)"
    )


if __name__ == "__main__":
    main()
