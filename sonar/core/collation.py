"""French alphabetical order, the same on SQLite and PostgreSQL: lists are sorted in Python
after fetching, with `french_key`, never by the database's code-point or locale collation.

The rule is the one of a French dictionary or index (and of ICU's French collation):
- letters first, accents and case set aside: "Débat" before "Droit", "État" and "Évaluation"
  before "Urbanisme", "Œuvre" sorted as "oeuvre", "Æ" as "ae";
- spaces, hyphens, apostrophes and other punctuation separate words and come before any
  letter: "Design thinking" before "Designer";
- only when the letters are equal does an accent count (the unaccented word first:
  "cote", "coté", "côte"), then case (lower case first).
"""

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_NOT_A_LETTER = re.compile(r"[\W_]+")


def french_key(text):
    """The sort key of `text` in French alphabetical order (see the module's rule)."""
    text = str(text or "")
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    letters, accents = [], []
    for char in decomposed.translate(_LIGATURES):
        if unicodedata.combining(char):
            if accents:
                accents[-1] += char
        else:
            letters.append(char)
            accents.append("")
    base = _NOT_A_LETTER.sub(" ", "".join(letters)).strip()
    # On a tie of letters, the accents decide (none first), then the case: swapcase puts
    # lower case first.
    return (base, tuple(accents), text.swapcase())


def sort_french(items, key=None):
    """`items` as a new list in French alphabetical order of `key(item)` (or of the item)."""
    return sorted(items, key=lambda item: french_key(key(item) if key else item))


def french_choices(field, key):
    """The choices of a ModelChoiceField with its objects in French order of `key(object)`;
    the field still validates against its queryset."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    objects = sort_french(field.queryset, key=key)
    return empty + [(field.prepare_value(o), field.label_from_instance(o)) for o in objects]
