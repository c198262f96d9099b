"""The logbook's lists of choices follow French alphabetical order (sonar/core/collation.py)."""

from sonar.logbook.forms import ExperimentForm
from tests.atlas.conftest import make_resource


def test_the_method_choice_lists_the_methods_in_french_order(db):
    for slug, title in [("u", "Urbanisme"), ("e", "Évaluation"), ("d", "Droit"), ("b", "Débat")]:
        make_resource(slug, title_fr=title)
    labels = [str(label) for _, label in ExperimentForm().fields["resource"].choices]
    assert labels == ["Aucune méthode de la carte", "Débat", "Droit", "Évaluation", "Urbanisme"]


def test_a_method_chosen_from_the_sorted_list_is_accepted(db):
    make_resource("e", title_fr="Évaluation")
    form = ExperimentForm(data={"title": "Un essai", "resource": "e"})
    form.is_valid()
    assert "resource" not in form.errors
    assert form.cleaned_data["resource"].slug == "e"
