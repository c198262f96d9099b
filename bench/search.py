"""Search latency at scale: p50/p95 of `search()` with 100 and 10,000 synthetic resources, on
SQLite (FTS5) and PostgreSQL (full text + pg_trgm). A benchmark, not a test.

    .venv/bin/python bench/search.py

Each backend runs in its own process against a scratch database it creates and drops (a temporary
SQLite file; a PostgreSQL database sonar_bench_<pid> on BENCH_POSTGRES_URL, by default
postgres://postgres@127.0.0.1:5432/postgres; PostgreSQL is skipped, and said so, when it cannot
be reached). Resources are generated from a French vocabulary with a fixed seed, so every run
searches the same texts. Figures go to bench/results/search.json and bench/results/search.md.
Target: p95 under 15 ms at 10,000 resources.
"""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SIZES = (100, 10_000)
REPEATS = 5  # timed runs of each query, after one untimed warm-up run
TARGET_MS = 15.0
SEED = 2018

NOUNS = [
    ("budget", "m"),
    ("atelier", "m"),
    ("laboratoire", "m"),
    ("démarche", "f"),
    ("plateforme", "f"),
    ("méthode", "f"),
    ("conférence", "f"),
    ("jury", "m"),
    ("expérimentation", "f"),
    ("cartographie", "f"),
    ("prototype", "m"),
    ("hackathon", "m"),
    ("consultation", "f"),
    ("évaluation", "f"),
    ("résidence", "f"),
    ("enquête", "f"),
    ("fabrique", "f"),
    ("parcours", "m"),
    ("programme", "m"),
    ("incubateur", "m"),
    ("stratégie", "f"),
    ("observatoire", "m"),
    ("collectif", "m"),
    ("design", "m"),
]
ADJECTIVES = [
    ("participatif", "participative"),
    ("citoyen", "citoyenne"),
    ("ouvert", "ouverte"),
    ("numérique", "numérique"),
    ("territorial", "territoriale"),
    ("collaboratif", "collaborative"),
    ("expérimental", "expérimentale"),
    ("public", "publique"),
    ("social", "sociale"),
    ("agile", "agile"),
    ("solidaire", "solidaire"),
    ("éphémère", "éphémère"),
    ("comportemental", "comportementale"),
    ("prospectif", "prospective"),
    ("local", "locale"),
]
COMPLEMENTS = [
    "des habitants",
    "de la métropole",
    "pour les agents",
    "en quartier prioritaire",
    "avec les usagers",
    "du service public",
    "de l’agglomération",
    "pour la transition écologique",
    "des données ouvertes",
    "du coup de pouce",
    "en tiers-lieu",
    "des élus",
    "de la mobilité",
    "pour l’école",
    "du logement",
    "des associations",
    "de la santé",
    "en milieu rural",
]
# fmt: off
SENTENCES = [
    "Les {who} {verb} {what} avec l’appui d’une équipe pluridisciplinaire.",
    "La collectivité {verb2} un {noun} pour {goal} dans le domaine {domain}.",
    "Cette approche demande du temps, un portage politique et des moyens.",
    "Les critiques portent sur {critique}.",
    "On commence par un {artefact} testé auprès des {who}, puis on ajuste.",
    "Le {noun} associe des {who}, des {who2} et des {experts}.",
    "Elle s’appuie sur {resource} et sur l’intelligence collective {place}.",
    "À {city}, un premier essai {domain} a réuni {count} {who}.",
    "Le coût reste modeste si {condition}.",
    "Les {experts} recommandent de {advice}.",
    "Un {artefact} bien conçu vaut mieux qu’un long rapport sur {topic}.",
    "La démarche {verb3} la relation entre les {who} et les {who2}.",
    "Il faut prévoir {duration} pour {goal}.",
    "Les résultats sont partagés en {format} avec les {who}.",
    "Le risque principal tient à {critique}.",
    "Cette pratique s’inspire {origin}.",
]
WHO = ["habitants", "agents", "élus", "usagers", "citoyens", "associations", "entreprises",
       "jeunes", "seniors", "commerçants", "parents", "bénévoles"]
VERBS = ["imaginent", "testent", "évaluent", "conçoivent", "cartographient", "partagent",
         "réinventent", "observent"]
VERBS3 = ["transforme", "apaise", "renouvelle", "interroge", "outille", "simplifie"]
WHAT = ["des services", "des solutions", "des prototypes", "des politiques publiques",
        "des scénarios", "des espaces", "des parcours", "des outils", "des règles"]
VERBS2 = ["organise", "finance", "expérimente", "ouvre", "anime", "évalue", "lance"]
GOALS = ["mieux comprendre les besoins", "réduire le non-recours", "ouvrir ses données",
         "associer les habitants", "transformer ses pratiques", "réparer la confiance",
         "simplifier les démarches", "mesurer les effets", "former les équipes"]
CRITIQUES = ["le risque d’instrumentalisation", "le coût pour les services",
             "la faible représentativité", "l’effet d’annonce",
             "la dépendance aux prestataires", "la fatigue des participants",
             "le manque de suites concrètes", "la collecte de données personnelles"]
DOMAINS = ["de la mobilité", "du logement", "de la santé", "de l’école", "de l’alimentation",
           "de l’énergie", "de la culture", "du sport", "de l’eau", "des déchets", "de l’emploi",
           "de la sécurité", "du tourisme", "de la petite enfance", "de la jeunesse",
           "du handicap", "de l’agriculture", "du climat", "de la voirie", "des archives"]
ARTEFACTS = ["prototype", "maquette", "questionnaire", "parcours", "récit", "jeu", "guide",
             "tableau de bord", "carnet", "formulaire", "panneau", "plan"]
EXPERTS = ["designers", "chercheurs", "sociologues", "juristes", "géographes",
           "développeurs", "urbanistes", "artistes", "économistes", "statisticiens"]
RESOURCES = ["des données ouvertes", "des entretiens", "des observations", "des archives",
             "des statistiques locales", "des retours d’usagers", "des études"]
PLACES = ["du territoire", "du quartier", "de la commune", "de la métropole",
          "du département", "de la région", "du village", "de l’agglomération"]
CITIES = ["Rennes", "Nantes", "Lyon", "Grenoble", "Lille", "Bordeaux", "Strasbourg",
          "Montpellier", "Dijon", "Brest", "Metz", "Poitiers", "Angers", "Tours", "Nancy"]
CONDITIONS = ["les services sont associés dès le début", "le périmètre reste petit",
              "les élus portent le projet", "les données existent déjà",
              "le calendrier est réaliste"]
ADVICE = ["tester petit avant de généraliser", "documenter chaque étape",
          "inviter les non-usagers", "prévoir une évaluation", "publier les résultats",
          "nommer un référent"]
TOPICS = ["la participation", "la sobriété", "l’accueil du public", "la dématérialisation",
          "les horaires", "la signalétique", "les subventions", "la propreté"]
DURATIONS = ["trois mois", "six semaines", "un an", "deux saisons", "quelques jours"]
FORMATS = ["réunion publique", "atelier", "vidéo", "exposition", "carnet illustré",
           "conférence", "balade urbaine"]
ORIGINS = ["du design", "des sciences sociales", "de l’éducation populaire",
           "du logiciel libre", "de l’urbanisme", "de l’économie comportementale",
           "du théâtre", "de la recherche-action"]
# fmt: on

QUERIES = {
    "exact": ["budget participatif", "laboratoire", "hackathon", "design", "jury citoyen",
              "cartographie", "prototype", "atelier", "consultation", "observatoire"],
    "accents": ["experimentation", "evaluation", "donnees", "metropole", "residence",
                "strategie", "enquete", "demarche", "ephemere", "numerique"],
    "prefix": ["parti", "expé", "citoy", "labo", "numér", "proto", "hack", "terri", "collab",
               "incub"],
    "typo": ["partcipatif", "hackaton", "desing", "laboratiore", "experimantation",
             "citoyene", "platefrome", "numerque", "prototipe", "territorail"],
    "synonym": ["open data", "données ouvertes", "nudge", "coup de pouce", "tiers lieu",
                "pensée design", "laboratoire vivant", "production participative",
                "évaluation des politiques", "design thinking"],
    "multi-word": ["atelier citoyen habitants", "budget participatif quartier prioritaire",
                   "données ouvertes métropole", "plateforme numérique usagers",
                   "expérimentation territoriale agents", "conférence citoyenne santé",
                   "design de service public", "résidence éphémère école",
                   "stratégie prospective mobilité", "enquête sociale logement"],
}  # fmt: skip


def synthetic_resources(count, seed=SEED):
    """`count` resources with French titles, summaries and bodies drawn from the lists above:
    five sentences out of sixteen, each with its own draws, so a word appears in a share of the
    texts rather than in all of them."""
    rng = random.Random(seed + count)
    pools = {
        "who": WHO, "who2": WHO, "verb": VERBS, "verb2": VERBS2, "verb3": VERBS3, "what": WHAT,
        "goal": GOALS, "critique": CRITIQUES, "domain": DOMAINS, "artefact": ARTEFACTS,
        "experts": EXPERTS, "resource": RESOURCES, "place": PLACES, "city": CITIES,
        "condition": CONDITIONS, "advice": ADVICE, "topic": TOPICS, "duration": DURATIONS,
        "format": FORMATS, "origin": ORIGINS,
    }  # fmt: skip
    for n in range(1, count + 1):
        noun, gender = rng.choice(NOUNS)
        adjective = rng.choice(ADJECTIVES)[0 if gender == "m" else 1]
        title = f"{noun.capitalize()} {adjective} {rng.choice(COMPLEMENTS)}"

        summary = _sentence(rng, rng.choice(SENTENCES[:2]), noun, pools)
        body = " ".join(_sentence(rng, t, noun, pools) for t in rng.sample(SENTENCES, 5))
        yield n, title, summary, body


def _sentence(rng, template, noun, pools):
    fill = {k: rng.choice(v) for k, v in pools.items()}
    return template.format(noun=noun, count=rng.randint(12, 400), **fill)


def child(backend, size_list):
    """Runs inside a process whose DATABASE_URL points at a scratch database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonar.settings")
    import django

    django.setup()
    import yaml
    from django.core.management import call_command
    from django.db import connection

    from sonar.atlas import search
    from sonar.atlas.models import Resource, SynonymGroup

    call_command("migrate", verbosity=0)
    groups = yaml.safe_load((ROOT / "content" / "atlas" / "synonyms.yaml").read_text())["groups"]
    SynonymGroup.objects.bulk_create(
        [SynonymGroup(key=g[0].lower(), words=[w.lower() for w in g]) for g in groups]
    )
    figures = []
    for size in size_list:
        Resource.objects.all().delete()
        Resource.objects.bulk_create(
            [
                Resource(
                    slug=f"synthetique-{n}",
                    kind="methode",
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
                    visions=" art ",
                    profiles=" usages ",
                    focus=0,
                    maturity=0,
                )
                for n, title, summary, body in synthetic_resources(size)
            ],
            batch_size=1000,
        )
        started = time.perf_counter()
        search.rebuild()
        index_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            # What autovacuum does after a bulk load: statistics, and the GIN pending list merged.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE atlas_searchentry")
                cursor.execute("VACUUM ANALYZE atlas_searchword")
        timings, by_family, hits = [], {}, {}
        for family, queries in QUERIES.items():
            for query in queries:
                hits[query] = search.search(query, "fr").total  # warm-up, and a sanity figure
                for _ in range(REPEATS):
                    started = time.perf_counter()
                    search.search(query, "fr")
                    elapsed = (time.perf_counter() - started) * 1000
                    timings.append(elapsed)
                    by_family.setdefault(family, []).append(elapsed)
        figures.append(
            {
                "backend": backend,
                "resources": size,
                "queries": sum(len(q) for q in QUERIES.values()),
                "runs": len(timings),
                "index_seconds": round(index_seconds, 2),
                "p50_ms": round(percentile(timings, 50), 2),
                "p95_ms": round(percentile(timings, 95), 2),
                "max_ms": round(max(timings), 2),
                "p95_ms_by_family": {f: round(percentile(t, 95), 2) for f, t in by_family.items()},
                "queries_without_result": sorted(q for q, n in hits.items() if not n),
                "median_matches_per_query": statistics.median(hits.values()),
            }
        )
    return figures


def percentile(values, p):
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[p - 1]


def run_child(backend, url, sizes):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    out = subprocess.run(
        [sys.executable, __file__, "--child", backend, "--sizes", *map(str, sizes)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(f"{backend} benchmark failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def postgres_admin_url():
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def with_postgres_database(sizes):
    """Create sonar_bench_<pid>, run the PostgreSQL child in it, drop it."""
    import psycopg

    admin = postgres_admin_url()
    name = f"sonar_bench_{os.getpid()}"
    try:
        connection = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        return None, f"PostgreSQL unreachable at {admin}: {exc}".strip()
    try:
        connection.execute(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0] + "/" + name
        return run_child("postgresql", url, sizes), None
    finally:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


def write_results(figures, notes):
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": "search",
        "target_p95_ms_at_10000": TARGET_MS,
        "repeats_per_query": REPEATS,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}",
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "results": figures,
        "notes": notes,
    }
    (RESULTS / "search.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Search latency",
        "",
        f'`search(query, "fr")` over {figures[0]["queries"] if figures else 0} fixed queries '
        f"(exact, accents, prefix, typo, synonym, multi-word), each timed {REPEATS} times after a "
        "warm-up, on synthetic French resources. Written by `bench/search.py`.",
        "",
        "| backend | resources | p50 (ms) | p95 (ms) | max (ms) | index build (s) | p95 < "
        f"{TARGET_MS:g} ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for f in figures:
        ok = "yes" if f["p95_ms"] < TARGET_MS else "no"
        lines.append(
            f"| {f['backend']} | {f['resources']:,} | {f['p50_ms']} | {f['p95_ms']} | "
            f"{f['max_ms']} | {f['index_seconds']} | {ok} |"
        )
    lines += ["", "Median number of matches per query (resources, terms and cases): "
              + ", ".join(f"{f['backend']} {f['resources']:,}: {f['median_matches_per_query']}"
                          for f in figures) + "."]  # fmt: skip
    lines += [
        "",
        f"Machine: {document['machine']}; load average at the end "
        f"{', '.join(map(str, document['load_average_at_end']))} (a shared machine: other "
        "processes ran meanwhile, so the tail is noisy).",
    ]
    lines += [f"Note: {n}" for n in notes]
    (RESULTS / "search.md").write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["sqlite", "postgresql"])
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.sizes)))
        return
    figures, notes = [], []
    with tempfile.TemporaryDirectory(prefix="sonar-bench-") as scratch:
        figures += run_child("sqlite", f"sqlite:///{scratch}/bench.sqlite3", args.sizes)
    pg_figures, problem = with_postgres_database(args.sizes)
    if problem:
        notes.append(problem)
    figures += pg_figures or []
    write_results(figures, notes)
    print((RESULTS / "search.md").read_text())


if __name__ == "__main__":
    main()
