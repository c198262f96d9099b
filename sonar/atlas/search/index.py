"""Keeps the search index in step with the content: what each object contributes, in each language.

The functions read the model fields by name (title_fr, summary_en…), so they work on the models
of a migration as well as on the live ones.
"""

from django.db import connection, transaction
from django.utils import translation

from sonar.atlas.models import Case, Resource, SearchEntry, SearchWord, Term
from sonar.atlas.search import backends, text
from sonar.atlas.vocabulary import Task, Theme

MIN_WORD_LENGTH = text.TYPO_MIN_LENGTH - 1  # a typo may lack a letter
MAX_WORD_LENGTH = 60


def _texts(*values):
    parts = []
    for value in values:
        if isinstance(value, list | tuple):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return "\n".join(parts)


def _labels(choices, keys, language):
    """The labels of vocabulary keys ("tester-idee" -> "tester une idée vite") in `language`."""
    names = dict(choices.choices)
    with translation.override(language):
        return [str(names[key]) for key in keys.split() if key in names]


def document(kind, obj, language):
    """(title, summary, body) of one object in one language: the title ranks first, then the
    summary, then the body: its texts, and the labels of what it is for (a resource's tasks, a
    case's themes), so that "tester une idée" finds the resources that serve it."""
    # getattr with a default: a migration's models may predate the newer fields.
    f = lambda name: getattr(obj, f"{name}_{language}", "")  # noqa: E731
    if kind == "resource":
        body = _texts(
            f("description"), f("when_to_use"), f("when_not_to_use"), f("how_to_start"),
            f("controversies"), _labels(Task, getattr(obj, "tasks", ""), language),
        )  # fmt: skip
        return f("title"), f("summary"), body
    if kind == "term":
        return f("term"), f("definition"), f("note")
    if kind == "case":
        body = _texts(
            f("description"), f("results"), f("did_not_work"), f("budget"), obj.place,
            obj.country, _labels(Theme, getattr(obj, "themes", ""), language),
        )  # fmt: skip
        return f("title"), f("summary"), body
    raise ValueError(kind)


def kind_of(model):
    return {"Resource": "resource", "Term": "term", "Case": "case"}.get(model.__name__)


def refresh(obj, deleted=False):
    """Rewrite (or remove, once deleted) the search entries of one resource, term or case."""
    kind = kind_of(type(obj))
    if deleted:
        remove_objects(kind, [obj.pk])
    else:
        index_objects(kind, [obj])


def index_objects(kind, objects, entry_model=None, word_model=None):
    """Write (or rewrite) the entries of these objects, in both languages, and their words."""
    entry_model = entry_model or SearchEntry
    word_model = word_model or SearchWord
    objects = list(objects)
    if not objects:
        return
    backend = backends.current()
    with transaction.atomic():
        existing = {
            (e.object_id, e.language): e
            for e in entry_model.objects.filter(kind=kind, object_id__in=[o.pk for o in objects])
        }
        changed, created, vocabulary = [], [], {lang: {} for lang in text.LANGUAGES}
        for obj in objects:
            for language in text.LANGUAGES:
                title, summary, body = document(kind, obj, language)
                entry = existing.get((obj.pk, language))
                if entry is None:
                    entry = entry_model(kind=kind, object_id=obj.pk, language=language)
                    created.append(entry)
                else:
                    changed.append(entry)
                entry.title, entry.summary, entry.body = title, summary, body
                _collect(vocabulary[language], f"{title} {summary} {body}")
        if changed:
            entry_model.objects.bulk_update(changed, ["title", "summary", "body"])
        if created:
            entry_model.objects.bulk_create(created)  # sets the ids on SQLite and PostgreSQL
        with connection.cursor() as cursor:
            backend.write(
                cursor,
                [
                    (e.kind, e.object_id, e.language, e.title, e.summary, e.body)
                    for e in changed + created
                ],
            )
        _write_words(word_model, vocabulary)


def _write_words(word_model, vocabulary):
    """Add the new words and refresh the known ones' stems (an older index lacks lemma_stem)."""
    lemmas = any(field.name == "lemma_stem" for field in word_model._meta.fields)
    rows = []
    for language, words in vocabulary.items():
        for word, written in sorted(words.items()):
            if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH:
                row = word_model(language=language, word=word, stem=text.stem(word, language))
                if lemmas:
                    row.lemma_stem = text.lemma_stem(written, language)
                rows.append(row)
    word_model.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["language", "word"],
        update_fields=["stem", "lemma_stem"] if lemmas else ["stem"],
        batch_size=500,
    )


def _collect(vocabulary, value):
    """Add the words of `value` to `vocabulary` (folded word -> the form a dictionary knows).
    "elu" written "élu" and "elu" keeps "élu": an accented spelling is the dictionary's."""
    for written in text.written_words(value):
        folded = text.fold(written)
        known = vocabulary.get(folded)
        if known is None or _accents(written) > _accents(known):
            vocabulary[folded] = written


def _accents(written):
    return sum(not char.isascii() for char in written)


def remove_objects(kind, ids):
    entries = SearchEntry.objects.filter(kind=kind, object_id__in=ids)
    with transaction.atomic(), connection.cursor() as cursor:
        backends.current().delete(
            cursor, list(entries.values_list("kind", "object_id", "language"))
        )
        entries.delete()


def rebuild(models=None, entry_model=None, word_model=None):
    """Empty the index and fill it again from every resource, term and case.

    `models` maps a kind to its model (the historical ones in a migration)."""

    models = models or {"resource": Resource, "term": Term, "case": Case}
    entry_model = entry_model or SearchEntry
    word_model = word_model or SearchWord
    with transaction.atomic():
        with connection.cursor() as cursor:
            backends.current().clear(cursor)
        entry_model.objects.all().delete()
        for kind, model in models.items():
            index_objects(kind, model.objects.all().iterator(), entry_model, word_model)
