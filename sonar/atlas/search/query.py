"""From what a person typed to a backend-neutral query: clauses that must all match, each a list
of alternatives (a stem, a prefix, a phrase).

The rules, the same on both backends:
- the text is cut to 200 characters and 12 words; punctuation only separates words, so nothing
  a person types can reach the full-text syntax (every word is also quoted by the backend);
- accents and case do not count; words are compared by their Snowball stem, and a word also
  matches the other forms of it that the content uses, singular or plural, masculine or
  feminine ("usager" and "usagers", "acteur" and "actrices", "élu" and "elues"): the index
  keeps each word's dictionary form (index.py), which Snowball alone does not join;
- the last word is also matched as a prefix ("parti" finds "participatif"), as people type;
- a run of words that belongs to a synonym group (content/atlas/synonyms.yaml) matches any
  word of the group ("open data" finds "données ouvertes"), multi-word synonyms included;
- a word of five letters or more that matches nothing in the vocabulary also matches its
  closest known words (one slip up to seven letters, two from eight), so typos still find;
- common words (de, la, the…) do not narrow the search, except inside a synonym phrase.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Q

from sonar.atlas.models import SearchWord, SynonymGroup
from sonar.atlas.search import text

STEM, PREFIX, PHRASE = "stem", "prefix", "phrase"


@dataclass(frozen=True)
class Alternative:
    """`words` are folded (lower case, no accents), not stemmed: each backend stems its way."""

    kind: str
    words: tuple


@dataclass
class Query:
    language: str
    clauses: list = field(default_factory=list)
    stems: set = field(default_factory=set)  # for highlighting
    prefixes: set = field(default_factory=set)
    corrections: dict = field(default_factory=dict)  # typed word -> words searched instead

    def __bool__(self):
        return bool(self.clauses)


def synonym_groups(language):
    """Each group as stem tuples (for finding it in a query) and folded word tuples."""
    rows = tuple(tuple(words) for words in SynonymGroup.objects.values_list("words", flat=True))
    return _prepared_groups(rows, language)


@lru_cache(maxsize=8)
def _prepared_groups(rows, language):
    # Keyed on the groups' words as read from the database: an edited group is a new key.
    groups = []
    for words in rows:
        variants = [tuple(text.words(w)) for w in words]
        variants = [v for v in variants if v]
        keys = {tuple(text.stem(w, language) for w in v) for v in variants}
        groups.append((keys, variants))
    return groups


def _synonym_at(stems, i, groups):
    """The longest synonym found at position i: (length, variants), or (0, None)."""
    best = (0, None)
    for keys, variants in groups:
        for key in keys:
            n = len(key)
            if n > best[0] and tuple(stems[i : i + n]) == key:
                best = (n, variants)
    return best


def parse(raw, language, backend):
    language = text.language_code(language)
    query = Query(language=language)
    tokens = text.words(text.cut(raw))[: text.MAX_QUERY_TERMS]
    if not tokens:
        return query
    stems = [text.stem(t, language) for t in tokens]
    groups = synonym_groups(language)
    stopwords = text.STOPWORDS[language]
    last = len(tokens) - 1
    plain = []  # (clause, token) of single words, to check against the vocabulary
    i = 0
    while i < len(tokens):
        length, variants = _synonym_at(stems, i, groups)
        if variants:
            clause = [Alternative(PHRASE, v) for v in variants]
            for v in variants:
                query.stems.update(text.stem(w, language) for w in v if w not in stopwords)
            query.clauses.append(clause)
            i += length
            continue
        token = tokens[i]
        if token not in stopwords:
            clause = [Alternative(STEM, (token,))]
            query.stems.add(stems[i])
            if i == last and len(token) >= text.PREFIX_MIN_LENGTH:
                clause.append(Alternative(PREFIX, (token,)))
                query.prefixes.add(token)
            query.clauses.append(clause)
            plain.append((clause, token))
        i += 1
    _join_inflections(query, plain)
    _correct_typos(query, plain, backend)
    return query


INFLECTION_ROWS = 500
SAME_START = 3  # forms of one word share their first letters ("travail", "travaux")


# French endings of the feminine and the plural, and the masculine singular they come from: a
# typed word the content never uses ("actrices") still meets the forms it does use ("acteur").
_FRENCH_ENDINGS = (
    ("trice", ("teur",)), ("euse", ("eur",)), ("ive", ("if",)), ("elle", ("el", "eau")),
    ("enne", ("en",)), ("ere", ("er",)), ("aux", ("al", "ail")), ("eaux", ("eau",)),
)  # fmt: skip


def _candidate_stems(token, language):
    """The stems a typed word may stand for: itself, and in French its masculine singular
    ("usagères" -> "usager", "actrices" -> "acteur"), to meet the vocabulary's words."""
    forms = {token}
    if language == "fr" and len(token) > SAME_START + 1:
        singular = token[:-1] if token[-1] in "sx" and not token.endswith("aux") else token
        forms |= {singular, singular.removesuffix("e")}
        for ending, replacements in _FRENCH_ENDINGS:
            if singular.endswith(ending):
                forms |= {singular[: -len(ending)] + r for r in replacements}
    return {text.stem(form, language) for form in forms if form}


def _join_inflections(query, plain):
    """Add to each single word's clause the other forms of it that the vocabulary knows.

    Two steps over the vocabulary (word, stem, stem of its dictionary form): the words that
    share the typed word's stems give their dictionary stems; the words under any of those are
    its forms. A form must begin like the typed word, so that a dictionary's odd reading (a verb
    "sommes" taken for "être") never joins unrelated words.
    """
    if not plain:
        return
    language = query.language
    vocabulary = SearchWord.objects.filter(language=language)
    starts = {token: _candidate_stems(token, language) for _clause, token in plain}
    wanted = set().union(*starts.values())
    tokens = [token for _clause, token in plain]
    first = vocabulary.filter(
        Q(stem__in=wanted) | Q(lemma_stem__in=wanted) | Q(word__in=tokens)
    ).values_list("word", "stem", "lemma_stem")[:INFLECTION_ROWS]
    first = list(first)
    keys = {}
    for token, stems in starts.items():
        keys[token] = set(stems)
        for word, stem, lemma in first:
            if _same_start(token, word) and (word == token or stem in stems or lemma in stems):
                keys[token].update(k for k in (stem, lemma) if k)
    every_key = set().union(*keys.values())
    second = list(
        vocabulary.filter(Q(stem__in=every_key) | Q(lemma_stem__in=every_key)).values_list(
            "word", "stem", "lemma_stem"
        )[:INFLECTION_ROWS]
    )
    for clause, token in plain:
        own = text.stem(token, language)
        forms = {}
        for word, stem, lemma in sorted(second):
            if (
                stem != own
                and _same_start(token, word)
                and (stem in keys[token] or lemma in keys[token])
            ):
                forms.setdefault(stem, word)
        for stem, word in sorted(forms.items()):
            clause.append(Alternative(STEM, (word,)))
            query.stems.add(stem)


def _same_start(token, word):
    return token[:SAME_START] == word[:SAME_START]


def _correct_typos(query, plain, backend):
    """Add the nearest known words to the clauses whose word the vocabulary does not know."""
    checked = [(c, t) for c, t in plain if text.typo_budget(t)]
    if not checked:
        return
    language = query.language
    condition = Q(stem__in=[text.stem(t, language) for _c, t in checked])
    for _c, token in checked:
        condition |= Q(word__gte=token, word__lt=token + "\uffff")
    known = list(
        SearchWord.objects.filter(condition, language=language).values_list("word", "stem")[:500]
    )
    known_stems = {s for _w, s in known}
    for clause, token in checked:
        if text.stem(token, language) in known_stems:
            continue
        if any(w.startswith(token) for w, _s in known):
            continue
        found = text.closest(token, backend.similar_words(language, token))
        if found:
            query.corrections[token] = found
            for word in found:
                clause.append(Alternative(STEM, (word,)))
                query.stems.add(text.stem(word, language))
