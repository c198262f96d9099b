"""Small content files with every field of issue 15, written to a temporary content folder."""

import copy

import yaml

SOURCE = {
    "title": "A Ladder of Citizen Participation",
    "publisher": "Journal of the American Institute of Planners",
    "author": "Sherry R. Arnstein",
    "year": 1969,
    "url": "https://doi.org/10.1080/01944366908977225",
}

RESOURCE = {
    "slug": "echelle",
    "kind": "concept",
    "named_in_journal": False,
    "title": {"fr": "Échelle de la participation", "en": "Ladder of participation"},
    "summary": {"fr": "Huit barreaux.", "en": "Eight rungs."},
    "description": {"fr": "Une échelle.", "en": "A ladder."},
    "when_to_use": {"fr": "Pour situer une démarche.", "en": "To place an approach."},
    "when_not_to_use": {"fr": "Pour noter des gens.", "en": "To grade people."},
    "how_to_start": {
        "fr": ["Lire.", "Situer.", "Discuter."],
        "en": ["Read.", "Place.", "Discuss."],
    },
    "controversies": {
        "fr": "Sherry R. Arnstein montre que la consultation sert souvent d’alibi.",
        "en": "Sherry R. Arnstein shows that consultation often serves as a fig leaf.",
    },
    "critics": ["Sherry R. Arnstein"],
    "visions": ["democratie"],
    "focus": 20,
    "maturity": -60,
    "profiles": ["usages"],
    "tasks": ["decider-habitants"],
    "cost": 1,
    "duration": "jours",
    "group_size": "petit",
    "political_sensitivity": "moyenne",
    "outside_help": "non",
    "sources": [SOURCE],
}

CASE = {
    "slug": "conseil-de-quartier",
    "title": {"fr": "Un conseil de quartier", "en": "A neighbourhood council"},
    "place": "Rennes",
    "period": {"start": 2015},
    "collectivite": {"type": "commune", "population": "200000-1000000"},
    "themes": ["participation"],
    "summary": {"fr": "Un résumé.", "en": "A summary."},
    "description": {"fr": "Ce qui s’est passé.", "en": "What happened."},
    "budget": {"fr": "12 000 euros par an.", "en": "12,000 euros a year."},
    "results": {"fr": "Des avis rendus.", "en": "Opinions given."},
    "did_not_work": {"fr": "Peu de jeunes sont venus.", "en": "Few young people came."},
    "resources": ["echelle"],
    "sources": [{**SOURCE, "title": "Le conseil de quartier", "author": None}],
}

GLOSSARY = {
    "terms": [
        {
            "slug": "alibi",
            "term": {"fr": "Alibi", "en": "Fig leaf"},
            "definition": {"fr": "Une façade.", "en": "A front."},
            "origin": "sonar",
            "sources": [SOURCE],
        }
    ]
}


def dump(data):
    data = {k: v for k, v in data.items() if v is not None}
    if "sources" in data:
        data["sources"] = [{k: v for k, v in s.items() if v is not None} for s in data["sources"]]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def write(root, resource=RESOURCE, case=CASE, glossary=GLOSSARY):
    """A content folder with one resource, one case and a glossary; returns its atlas folder."""
    atlas = root / "content" / "atlas"
    (atlas / "resources").mkdir(parents=True)
    (atlas / "cases").mkdir()
    texts = {
        atlas / "resources" / f"{resource['slug']}.yaml": dump(resource),
        atlas / "cases" / f"{case['slug']}.yaml": dump(case),
        atlas / "glossary.yaml": yaml.safe_dump(glossary, allow_unicode=True, sort_keys=False),
    }
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    return atlas


def changed(data, **fields):
    data = copy.deepcopy(data)
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
