"""A questionnaire's address in each language: its key is English ("maturity"), its French
address says "maturite". The converter turns the slug of the active language into the key
and back, so `{% url 'quiz:start' 'maturity' %}` gives /diagnostic/maturite/ in French and
/en/diagnostic/maturity/ in English. A slug of the other language does not match here: the
404 page sends it to the right address (sonar/core/views.py, `page_not_found`)."""

from django.utils.translation import get_language

# {key: {language: slug}}; a key missing here is its own slug in every language.
SLUGS = {"maturity": {"fr": "maturite"}}


def slug(key, language=None):
    language = (language or get_language() or "fr")[:2]
    return SLUGS.get(key, {}).get(language, key)


def key(value, language=None):
    """The questionnaire key this slug names in `language`, or None (another language's slug)."""
    language = (language or get_language() or "fr")[:2]
    for known, slugs in SLUGS.items():
        if slugs.get(language, known) == value:
            return known
    if any(value in slugs.values() or value == known for known, slugs in SLUGS.items()):
        return None
    return value


class QuestionnaireSlug:
    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value):
        found = key(value)
        if found is None:
            raise ValueError(value)
        return found

    def to_url(self, value):
        return slug(str(value))
