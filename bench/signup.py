"""Sign-up timing: does the answer to a sign-up take as long for an address that has an account
as for one that has none? A benchmark, not a test (issue 12, finding 6: 15 ms against 330 ms).

    .venv/bin/python bench/signup.py

Runs Sonar's sign-up view through Django's test client, in this process, on a scratch SQLite
database with the production password hasher (argon2) and e-mails kept in memory. Known and
unknown addresses alternate, each kind first in every other round (the second request of a
pair was measured slower, whichever it was), each address used once (the per-address e-mail
limit never applies) from its own network (the per-client limit never applies either).
Figures go to bench/results/signup.json and bench/results/signup.md.
"""

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ROUNDS = 60


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    sys.path.insert(0, str(ROOT))
    scratch = tempfile.mkdtemp(prefix="sonar-bench-signup-")
    os.environ.update(
        SONAR_VAR_DIR=scratch,
        SONAR_STATIC_MANIFEST="0",
        DJANGO_SETTINGS_MODULE="sonar.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from sonar.accounts.models import User

    call_command("migrate", verbosity=0)
    mail.outbox = []
    url = reverse("accounts:signup")
    for n in range(ROUNDS):
        User.objects.create_user(f"connue{n}@ville.fr", "une phrase de passe assez longue")
    timings = {"known": [], "unknown": []}
    client = Client(HTTP_HOST="127.0.0.1")
    client.post(url, {"email": "echauffement@ville.fr"}, REMOTE_ADDR="192.0.2.250")
    for n in range(ROUNDS):
        pair = [("known", f"connue{n}@ville.fr"), ("unknown", f"nouvelle{n}@ville.fr")]
        for kind, email in pair if n % 2 else pair[::-1]:
            address = f"198.51.{n // 200}.{n % 200 + (100 if kind == 'known' else 0)}"
            started = time.perf_counter()
            answer = client.post(url, {"email": email}, REMOTE_ADDR=address)
            timings[kind].append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 302, answer.status_code
    sent = len(mail.outbox)
    figures = {
        kind: {
            "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
            "requests": len(values),
        }
        for kind, values in timings.items()
    }
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
        ),
        "hasher": "argon2",
        "emails_sent": sent,
        "figures": figures,
        "median_gap_ms": round(
            abs(figures["known"]["median_ms"] - figures["unknown"]["median_ms"]), 2
        ),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "signup.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Sign-up timing",
        "",
        f"{result['date']}, {result['machine']}; {ROUNDS} sign-ups of each kind, alternating "
        "(each kind first in every other round), "
        "through Django's test client on SQLite, argon2 as the hasher, e-mails in memory "
        f"({sent} sent).",
        "",
        "| address | median | p95 |",
        "| --- | --- | --- |",
    ]
    for kind, label in (("known", "has an account"), ("unknown", "has none")):
        lines.append(
            f"| {label} | {figures[kind]['median_ms']} ms | {figures[kind]['p95_ms']} ms |"
        )
    lines += ["", f"Gap between the medians: {result['median_gap_ms']} ms.", ""]
    (RESULTS / "signup.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
