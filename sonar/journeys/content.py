"""Loads the trajectories (content/journeys/trajectories/<stage>.yaml, see schema.py).

A trajectory belongs to a stage of the maturity diagnostic (an outcome of the quiz's "maturity"
questionnaire, loaded before this app) and lists resources of the map (loaded before too).
"""

from pathlib import PurePath

from sonar.atlas.models import Resource
from sonar.atlas.schema import CaseFile, ResourceFile
from sonar.core.content import ContentKind, i18n_values
from sonar.core.opendata import Dataset, i18n_columns
from sonar.journeys.models import (
    MATURITY,
    Branch,
    Fork,
    Lever,
    Milestone,
    Pitfall,
    Principle,
    Trajectory,
    TrajectoryResource,
)
from sonar.journeys.schema import TrajectoryFile, check
from sonar.quiz.content import QuestionnaireFile
from sonar.quiz.models import Outcome


def apply_trajectory(doc, writer):
    stage = Outcome.objects.get(questionnaire__key=MATURITY, key=doc.stage)
    trajectory = writer.upsert(
        Trajectory,
        {"key": doc.stage},
        {
            "stage": stage,
            "rank": int(stage.symbol) if stage.symbol.isdigit() else stage.position,
            "source": doc.source,
            **i18n_values("title", doc.title),
            **i18n_values("summary", doc.summary),
            "resource_slugs": doc.resources,
            "case_links": [
                {"case": link.case, **i18n_values("why", link.why)} for link in doc.cases
            ],
        },
    )
    lookup = {"trajectory": trajectory}
    for position, item in enumerate(doc.milestones, start=1):
        writer.upsert(
            Milestone,
            {**lookup, "key": item.key},
            {
                "position": position,
                **i18n_values("title", item.title),
                **i18n_values("description", item.description),
                "practices": item.practices,
            },
        )
    for position, item in enumerate(doc.forks, start=1):
        fork = writer.upsert(
            Fork,
            {**lookup, "key": item.key},
            {"position": position, **i18n_values("question", item.question)},
        )
        for branch_position, branch in enumerate(item.branches, start=1):
            writer.upsert(
                Branch,
                {"fork": fork, "key": branch.key},
                {
                    "position": branch_position,
                    **i18n_values("title", branch.title),
                    **i18n_values("implies", branch.implies),
                },
            )
    for position, item in enumerate(doc.pitfalls, start=1):
        writer.upsert(
            Pitfall,
            {**lookup, "key": item.key},
            {
                "position": position,
                **i18n_values("title", item.title),
                **i18n_values("spot", item.spot),
                **i18n_values("avoid", item.avoid),
            },
        )
    for position, item in enumerate(doc.levers, start=1):
        writer.upsert(
            Lever,
            {**lookup, "key": item.key},
            {
                "position": position,
                **i18n_values("title", item.title),
                **i18n_values("description", item.description),
            },
        )
    for position, item in enumerate(doc.principles, start=1):
        writer.upsert(
            Principle,
            {**lookup, "position": position},
            {
                **i18n_values("text", item.text),
                "quote": item.quote,
                **i18n_values("why", item.why),
            },
        )
    # The links follow the trajectory's kept list: an edit made in Sonar is not overwritten.
    found = dict(
        Resource.objects.filter(slug__in=trajectory.resource_slugs).values_list("slug", "pk")
    )
    TrajectoryResource.objects.filter(trajectory=trajectory).delete()
    TrajectoryResource.objects.bulk_create(
        TrajectoryResource(trajectory=trajectory, resource_id=found[slug], position=position)
        for position, slug in enumerate(trajectory.resource_slugs, start=1)
        if slug in found
    )


def check_all(documents):
    """One trajectory per stage of the maturity diagnostic, named after its file, for stages
    only; every resource and every case it lists is defined by a file of the map, and every
    practice a balise raises is a question of the diagnostic."""
    problems = []
    maturity, maturity_path = None, None
    slugs = set()
    case_slugs = set()
    trajectories = []
    for _kind, path, doc in documents:
        if isinstance(doc, QuestionnaireFile) and doc.key == MATURITY:
            maturity, maturity_path = doc, path
        elif isinstance(doc, ResourceFile):
            slugs.add(doc.slug)
        elif isinstance(doc, CaseFile):
            case_slugs.add(doc.slug)
        elif isinstance(doc, TrajectoryFile):
            trajectories.append((path, doc))
    stages = [stage.key for stage in maturity.outcomes] if maturity else []
    practices = {question.key for question in maturity.questions} if maturity else set()
    covered = set()
    for path, doc in trajectories:
        if doc.stage != PurePath(path).stem:
            problems.append(
                (path, ("stage",), f"l’étape « {doc.stage} » diffère du nom du fichier")
            )
        if doc.stage not in stages:
            known = ", ".join(stages) or "aucune étape chargée"
            problems.append(
                (
                    path,
                    ("stage",),
                    f"« {doc.stage} » n’est pas une étape du diagnostic de maturité ({known})",
                )
            )
        elif doc.stage in covered:
            problems.append((path, ("stage",), f"l’étape « {doc.stage} » a déjà sa trajectoire"))
        covered.add(doc.stage)
        for i, slug in enumerate(doc.resources):
            if slug not in slugs:
                problems.append((path, ("resources", i), f"ressource inconnue « {slug} »"))
        for i, link in enumerate(doc.cases):
            if link.case not in case_slugs:
                problems.append((path, ("cases", i, "case"), f"cas inconnu « {link.case} »"))
        for mi, milestone in enumerate(doc.milestones):
            for pi, practice in enumerate(milestone.practices):
                if maturity is not None and practice not in practices:
                    problems.append(
                        (
                            path,
                            ("milestones", mi, "practices", pi),
                            f"« {practice} » n’est pas une pratique (question) du diagnostic "
                            f"de maturité",
                        )
                    )
    if maturity is not None and trajectories:
        for i, stage in enumerate(maturity.outcomes):
            if stage.key not in covered:
                problems.append(
                    (
                        maturity_path,
                        ("outcomes", i, "key"),
                        f"pas de trajectoire pour l’étape « {stage.key} » "
                        f"(journeys/trajectories/{stage.key}.yaml)",
                    )
                )
    return problems


KINDS = [
    ContentKind(
        pattern="journeys/trajectories/*.yaml",
        schema=TrajectoryFile,
        apply=apply_trajectory,
        check=check,
    )
]


def _parts(name, title, model, *texts):
    return Dataset(
        name,
        title,
        model,
        {
            "trajectory": "trajectory__key",
            "key": "key",
            "position": "position",
            **i18n_columns(*texts),
        },
        order_by=("trajectory__rank", "position"),
    )


# Open data (sonar export): the trajectories, a Sonar addition, one dataset per kind of part.
EXPORTS = [
    Dataset(
        "trajectories",
        "Trajectoires, une par étape du diagnostic de maturité (ajout Sonar)",
        Trajectory,
        {
            "stage": "key",
            "rank": "rank",
            "source": "source",
            **i18n_columns("title", "summary"),
            "resources": "resource_slugs",
            "cases": "case_links",
        },
        order_by=("rank",),
    ),
    _parts("trajectory_milestones", "Balises des trajectoires", Milestone, "title", "description"),
    _parts("trajectory_forks", "Bifurcations des trajectoires", Fork, "question"),
    Dataset(
        "trajectory_branches",
        "Options de chaque bifurcation, et ce qu’elles impliquent",
        Branch,
        {
            "trajectory": "fork__trajectory__key",
            "fork": "fork__key",
            "key": "key",
            "position": "position",
            **i18n_columns("title", "implies"),
        },
        order_by=("fork__trajectory__rank", "fork__position", "position"),
    ),
    _parts("trajectory_pitfalls", "Écueils des trajectoires", Pitfall, "title", "spot", "avoid"),
    _parts("trajectory_levers", "Leviers des trajectoires", Lever, "title", "description"),
    Dataset(
        "trajectory_principles",
        "Principes des trajectoires (quote : cité du journal Sonar 1.0)",
        Principle,
        {
            "trajectory": "trajectory__key",
            "position": "position",
            **i18n_columns("text"),
            "quote": "quote",
            **i18n_columns("why"),
        },
        order_by=("trajectory__rank", "position"),
    ),
]
