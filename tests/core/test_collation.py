import pytest

from sonar.core.collation import french_key, sort_french


def test_a_french_list_that_code_point_order_gets_wrong_sorts_as_a_dictionary_does():
    titles = ["Urbanisme", "Évaluation", "Droit", "État", "Débat"]
    assert sorted(titles) == ["Droit", "Débat", "Urbanisme", "État", "Évaluation"]
    assert sort_french(titles) == ["Débat", "Droit", "État", "Évaluation", "Urbanisme"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Œuvre", "Office"),  # œ is spelt oe
        ("Oeil", "Œuvre"),
        ("Cæcum", "Cafe"),  # æ is spelt ae
        ("atelier", "Bilan"),  # case set aside
        ("Design thinking", "Designer"),  # a space comes before any letter
        ("co-design", "codesign"),
        ("l’usager", "l'utilisateur"),  # curly and straight apostrophes alike
        ("cote", "côte"),  # on equal letters, the unaccented word first
        ("cote", "Cote"),  # then lower case first
        ("« Nudge »", "Nudge, le retour"),  # guillemets set aside
    ],
)
def test_one_word_comes_before_another(before, after):
    assert french_key(before) < french_key(after)


def test_sorting_takes_a_key_and_leaves_the_list_untouched():
    items = [{"t": "Été"}, {"t": "Eau"}, {"t": "Ecole"}]
    assert [i["t"] for i in sort_french(items, key=lambda i: i["t"])] == ["Eau", "Ecole", "Été"]
    assert items[0]["t"] == "Été"


def test_an_empty_or_missing_title_sorts_first_without_error():
    assert sort_french(["b", None, ""])[-1] == "b"
