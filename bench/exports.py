"""How long a facilitator waits for each export of a large workshop, and what the PDF cache
saves.

    .venv/bin/python bench/exports.py [--people 500] [--rounds 3]

A benchmark, not a test (tests/workshops/test_exports.py and test_debrief_pack.py hold the
rules). A scratch SQLite database gets the reference content and one style-quiz workshop in
which --people people answered all six questions (written in bulk: this measures the exports,
not the answering). Each export is asked through Django's test client (the whole middleware
stack) with the facilitator's cookie. The debrief pack is asked once with an empty cache (laid
out by WeasyPrint), then --rounds times more (the kept PDF), then once after one more answer
(a new PDF).

Figures go to bench/results/exports.json and bench/results/exports.md.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

EXPORTS = {
    "agregats.csv": "totaux (CSV)",
    "participants.csv": "participants (CSV)",
    "resultats.xlsx": "classeur (.xlsx)",
    "rapport.pdf": "rapport d’une page (PDF)",
}


def setup(directory):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "sonar.settings",
            "DATABASE_URL": f"sqlite:///{directory}/exports.sqlite3",
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


def workshop_with(people):
    from django.db.models import F

    from sonar.quiz import data
    from sonar.workshops import actions
    from sonar.workshops.models import Answer, Participant, Workshop, digest, new_secret

    quiz = data.get("style")
    workshop, token = actions.create_workshop(quiz, "Plénière", "self-paced")
    chooser = random.Random(13)
    participants = Participant.objects.bulk_create(
        Participant(workshop=workshop, token_digest=digest(new_secret())) for _ in range(people)
    )
    Answer.objects.bulk_create(
        Answer(
            participant=person,
            question_key=question.key,
            choice_key=chooser.choice(question.choices).key,
        )
        for person in participants
        for question in quiz.questions
    )
    Workshop.objects.filter(pk=workshop.pk).update(version=F("version") + 1)
    workshop.refresh_from_db()
    return workshop, token


def timed(browser, url):
    started = time.perf_counter()
    response = browser.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup(directory)
        from django.core.cache import cache
        from django.test import Client

        from sonar.quiz import data
        from sonar.workshops import access, actions

        workshop, token = workshop_with(args.people)
        browser = Client()
        browser.cookies[access.FACILITATOR_COOKIE.format(code=workshop.code)] = token
        base = f"/ateliers/{workshop.code}/"
        figures = {}
        for name in EXPORTS:
            runs = [timed(browser, base + name) for _ in range(args.rounds)]
            figures[name] = {
                "median_ms": round(statistics.median(ms for ms, _size in runs), 1),
                "bytes": runs[0][1],
            }
        cache.clear()
        cold, size = timed(browser, base + "restitution.pdf")
        kept = [timed(browser, base + "restitution.pdf")[0] for _ in range(args.rounds)]
        person, _token = actions.join(workshop, "")
        question = data.get("style").questions[0]
        actions.answer(workshop, person, question.key, question.choices[0].key)
        changed, _size = timed(browser, base + "restitution.pdf")
        figures["restitution.pdf"] = {
            "cold_ms": round(cold, 1),
            "kept_median_ms": round(statistics.median(kept), 1),
            "after_a_change_ms": round(changed, 1),
            "bytes": size,
        }
    results = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cœurs",
        "people": args.people,
        "rounds": args.rounds,
        "exports": figures,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "exports.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "exports.md").write_text(markdown(results))
    print(markdown(results))


def markdown(results):
    lines = [
        "# Exports d’un grand atelier",
        "",
        f"{results['date']}, {results['machine']}, `bench/exports.py --people "
        f"{results['people']} --rounds {results['rounds']}` (client de test de Django, SQLite ; "
        f"{results['people']} personnes ont répondu aux 6 questions du quiz).",
        "",
        "| export | temps médian | taille |",
        "| --- | --- | --- |",
    ]
    for name, label in EXPORTS.items():
        figure = results["exports"][name]
        lines.append(f"| {label} | {figure['median_ms']} ms | {figure['bytes']} octets |")
    pack = results["exports"]["restitution.pdf"]
    lines += [
        "",
        "Dossier de restitution (PDF), mis de côté tant que l’atelier ne change pas :",
        "",
        "| demande | temps |",
        "| --- | --- |",
        f"| première (mise en page par WeasyPrint) | {pack['cold_ms']} ms |",
        f"| suivantes (PDF gardé, médiane) | {pack['kept_median_ms']} ms |",
        f"| après une réponse de plus (nouveau PDF) | {pack['after_a_change_ms']} ms |",
        "",
        f"Taille du dossier : {pack['bytes']} octets.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
