"""Loading the trajectories: the reference files, and what a wrong file gets told."""

import shutil

import pytest
from django.conf import settings

from sonar.core import content
from sonar.journeys.models import Branch, Milestone, Trajectory

pytestmark = pytest.mark.django_db

STAGES = ["a-quai", "premieres-sorties", "equipage", "flottille", "fabrique-ouverte"]


def test_one_trajectory_per_stage_in_the_order_of_the_ladder(loaded):
    ladder = list(Trajectory.objects.ladder())
    assert [t.key for t in ladder] == STAGES
    assert [t.rank for t in ladder] == [1, 2, 3, 4, 5]
    assert all(t.stage.questionnaire.key == "maturity" and t.stage.key == t.key for t in ladder)


def test_milestones_and_resources_keep_the_order_of_the_file(loaded):
    trajectory = Trajectory.objects.get(key="a-quai")
    assert [m.key for m in trajectory.milestones][:2] == [
        "choisir-un-irritant",
        "obtenir-un-soutien",
    ]
    assert [m.position for m in trajectory.milestones] == [1, 2, 3, 4]
    assert [r.slug for r in trajectory.ordered_resources()] == trajectory.resource_slugs
    assert trajectory.resource_slugs[0] == "immersion"
    assert Branch.objects.filter(fork__trajectory=trajectory).count() == 5


def test_a_second_load_of_the_same_files_changes_nothing(loaded, reference_documents):
    report = content.load(documents=reference_documents)
    assert report.changed == 0
    assert Milestone.objects.filter(revision=1).count() == Milestone.objects.count()


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(settings.SONAR_CONTENT_DIR, target)
    return target


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors_of(directory):
    with pytest.raises(content.ContentInvalid) as caught:
        content.read(directory)
    return [str(e) for e in caught.value.errors]


def line_of(path, needle):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_an_unknown_resource_is_refused_with_its_line(content_copy):
    path = content_copy / "journeys/trajectories/a-quai.yaml"
    edit(path, '  - "prototypage"', '  - "prototypage-magique"')
    line = line_of(path, "prototypage-magique")
    assert errors_of(content_copy) == [
        f"content/journeys/trajectories/a-quai.yaml, ligne {line}, champ « resources.2 » : "
        "ressource inconnue « prototypage-magique »"
    ]


def test_a_stage_the_maturity_diagnostic_does_not_have_is_refused(content_copy):
    trajectories = content_copy / "journeys/trajectories"
    (trajectories / "a-quai.yaml").rename(trajectories / "au-port.yaml")
    edit(trajectories / "au-port.yaml", 'stage: "a-quai"', 'stage: "au-port"')
    found = errors_of(content_copy)
    assert any(
        "au-port.yaml, ligne" in e and "« au-port » n’est pas une étape du diagnostic" in e
        for e in found
    )
    assert any("pas de trajectoire pour l’étape « a-quai »" in e for e in found)


def test_a_stage_that_differs_from_its_file_name_is_refused(content_copy):
    edit(
        content_copy / "journeys/trajectories/equipage.yaml", 'stage: "equipage"', 'stage: "a-quai"'
    )
    found = errors_of(content_copy)
    assert any("equipage.yaml" in e and "diffère du nom du fichier" in e for e in found)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('key: "obtenir-un-soutien"', 'key: "choisir-un-irritant"', "déjà utilisée"),
        ('  - "langage-clair"', '  - "immersion"', "citée deux fois"),
        ("    quote: true", "    quote: [true]", "oui ou non"),
        ("    quote: true", "    quote: yes-please", "oui ou non"),
        ('fr: "Choisir un problème concret"', 'fr: "Choisir : un problème"', "espace insécable"),
        ('source: "sonar"', 'source: "sonar-1.0"', "valeur non permise"),
        ("milestones:", "balises:", "champ inconnu"),
    ],
)
def test_a_wrong_trajectory_file_is_refused_with_a_french_message(content_copy, old, new, message):
    path = content_copy / "journeys/trajectories/a-quai.yaml"
    edit(path, old, new)
    found = errors_of(content_copy)
    assert any("a-quai.yaml, ligne" in e and message in e for e in found), found


def test_a_quote_the_journal_never_wrote_is_refused(content_copy):
    path = content_copy / "journeys/trajectories/a-quai.yaml"
    edit(
        path,
        'fr: "arrêtons de parler, pratiquons l’innovation\u00a0!"',
        'fr: "arrêtons de parler, innovons\u00a0!"',
    )
    found = errors_of(content_copy)
    assert any("citation introuvable parmi les principes du journal" in e for e in found), found
