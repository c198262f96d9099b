"""What the atlas suggests for a diagnostic's profiles: the small public interface through which
the quiz result shows resources (the quiz never reads the atlas's models or data module).

`for_profiles(keys)` gives plain values (title, summary, address), so a caller depends on
nothing of the atlas but this module.
"""

from dataclasses import dataclass

from sonar.atlas.data import CARD_DEFERRED
from sonar.atlas.models import Profile, Resource


@dataclass(frozen=True)
class Suggestion:
    slug: str
    title: str
    summary: str
    url: str


@dataclass(frozen=True)
class Suggestions:
    alike: list  # Suggestion…, resources that fit the profile
    counterweights: list  # Suggestion…, resources from the other profiles


def for_profiles(profile_keys):
    """The suggestions for these profile keys (none for unknown keys or an empty map), in the
    active language."""
    alike, counterweights = ranked(profile_keys)
    return Suggestions(
        alike=[_suggestion(r) for r in alike],
        counterweights=[_suggestion(r) for r in counterweights],
    )


def _suggestion(resource):
    return Suggestion(
        slug=resource.slug,
        title=resource.title,
        summary=resource.summary,
        url=resource.get_absolute_url(),
    )


ALIKE_COUNT = 5
COUNTERWEIGHT_COUNT = 3


def _distance(resource, others):
    return min(
        ((resource.focus - o.focus) ** 2 + (resource.maturity - o.maturity) ** 2 for o in others),
        default=0,
    )


def ranked(profile_keys):
    """Resources that fit the winning profiles, and counterweights from the other profiles:
    (alike, counterweights), two lists of resources.

    Alike: resources suited to a winning profile, taken in turn from each winner (so a mixed
    profile sees each of its sides), journal-named ones first, then the most specific (fewest
    profiles), then by slug. Counterweights: resources suited to none of the winners, first
    those "en tension" with an alike one, then the farthest on the map from the alike group,
    then by slug. No randomness: the same profile always gets the same suggestions.
    """
    winners = [k for k in profile_keys if k in Profile.values]
    if not winners:
        return [], []
    pool = list(
        Resource.objects.defer(
            *(f for f in CARD_DEFERRED if f not in ("combines_with", "in_tension_with"))
        )
    )

    def specific_first(r):
        return (not r.named_in_journal, len(r.profile_keys), r.slug)

    queues = [sorted((r for r in pool if w in r.profile_keys), key=specific_first) for w in winners]
    alike, seen = [], set()
    while len(alike) < ALIKE_COUNT and any(queues):
        for queue in queues:
            while queue and queue[0].slug in seen:
                queue.pop(0)
            if queue and len(alike) < ALIKE_COUNT:
                chosen = queue.pop(0)
                alike.append(chosen)
                seen.add(chosen.slug)

    alike_slugs = {r.slug for r in alike}
    tension = set()
    for r in pool:
        if r.slug in alike_slugs:
            tension.update(r.in_tension_with)
        elif alike_slugs & set(r.in_tension_with):
            tension.add(r.slug)
    others = [r for r in pool if not set(r.profile_keys) & set(winners)]
    if not others:
        others = [r for r in pool if r.slug not in alike_slugs]
    others.sort(key=lambda r: (r.slug not in tension, -_distance(r, alike), r.slug))
    return alike, others[:COUNTERWEIGHT_COUNT]
