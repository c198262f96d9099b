"""Text handling shared by both search backends: words, accents, stems, typos, highlighting.

Words are folded the way PostgreSQL's `unaccent` then Snowball do it (accents removed first, then
stemmed), so that the SQLite index, built here in Python, and the PostgreSQL index, built by the
database, agree on which words are the same.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import mark_safe

LANGUAGES = ("fr", "en")
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
PREFIX_MIN_LENGTH = 3  # "d*" would match every text: prefixes start at three letters
TYPO_MIN_LENGTH = 5

WORD = re.compile(r"[^\W_]+")
# Combining marks left by NFKD decomposition (accents, cedillas, diaereses).
COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# Words too common to narrow a search. A query's phrases keep them (see query.py).
_FRENCH_STOPWORDS = (
    "a au aux avec c ce ces cet cette d dans de des du elle elles en est et eux il ils j je l "
    "la le les leur leurs lui m ma mais me mes moi mon n ne nos notre nous on ou par pas pour "
    "qu que qui s sa se ses son sont sur t ta te tes toi ton tu un une vos votre vous y"
)
_ENGLISH_STOPWORDS = (
    "a an and are as at be been but by for from has have in into is it its of on or our that "
    "the their this to was were which with"
)
STOPWORDS = {
    "fr": frozenset(_FRENCH_STOPWORDS.split()),
    "en": frozenset(_ENGLISH_STOPWORDS.split()),
}

_STEMMERS = {"fr": "french", "en": "english"}


def language_code(language):
    return "en" if (language or "fr").startswith("en") else "fr"


def fold(text):
    """Lower case, without accents or ligatures: "Œuvre Élue" -> "oeuvre elue"."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return COMBINING.sub("", unicodedata.normalize("NFKD", text))


def words(text):
    """The folded words of a text, in order (apostrophes, hyphens and punctuation separate)."""
    return WORD.findall(fold(text or ""))


def written_words(text):
    """The words of a text in lower case, accents kept: what a dictionary can look up."""
    return WORD.findall((text or "").lower())


@lru_cache(maxsize=50000)
def lemma_stem(written, language):
    """The stem of a word's dictionary form: "usagers", "usagère" -> "usag", like "usager";
    "actrices" -> "acteur"; "travaux" -> "travail". Snowball alone cuts "usagers" to "usager"
    but "usager" to "usag", and leaves feminines and irregular plurals apart.

    French words go through simplemma's dictionary (loaded on first use, about 26 MB: only
    indexing needs it, never a search); English ones through Snowball alone, which already
    joins its regular plurals.
    """
    if language == "fr":
        import simplemma

        written = simplemma.lemmatize(written, lang="fr")
    folded = words(written)
    return stem(folded[0], language) if folded else ""


@lru_cache(maxsize=20000)
def stem(word, language):
    return _stemmer(language).stemWord(word)


@lru_cache(maxsize=2)
def _stemmer(language):
    return snowballstemmer.stemmer(_STEMMERS[language])


def stemmed(text, language):
    """The text as the SQLite index stores it: folded stems separated by spaces."""
    return " ".join(stem(w, language) for w in words(text))


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def cut(query):
    """A query as search reads it: at most 200 characters and 12 words, so nothing is fatal.
    Control characters (a NUL from a crafted link, a pasted tab) become spaces: the query is
    shown back on the page, where a NUL is invalid HTML, and PostgreSQL refuses NUL outright."""
    return CONTROL_CHARACTERS.sub(" ", (query or "")[:MAX_QUERY_CHARS])


def edit_distance(a, b, limit):
    """Optimal string alignment distance (a swap of two letters counts as one), or limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_budget(word):
    """How many slips a word may carry and still be corrected: none under five letters (a short
    word is too close to too many others), one up to seven letters, two from eight."""
    if len(word) < TYPO_MIN_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


def closest(word, candidates):
    """The candidates nearest to a mistyped word, within its typo budget (at most three)."""
    budget = typo_budget(word)
    if not budget:
        return []
    scored = sorted((edit_distance(word, c, budget), c) for c in set(candidates) if c != word)
    scored = [(d, c) for d, c in scored if d <= budget]
    if not scored:
        return []
    best = scored[0][0]
    return [c for d, c in scored if d == best][:3]


def highlight(text, stems, prefixes, language):
    """`text` escaped, with the words the query matched wrapped in <mark>."""
    text = text or ""
    out, position = [], 0
    for match in re.finditer(r"[^\W_]+", text):
        folded = fold(match.group())
        hit = stem(folded, language) in stems or any(folded.startswith(p) for p in prefixes)
        if hit:
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 — every piece above is escaped
