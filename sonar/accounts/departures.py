"""What other apps keep for a person, checked and cleared when her account is deleted.

Deleting an account must not leave behind something that others still use and that nobody can
manage any more (a project whose only admin leaves), nor something that only she used (her own
project, which nobody could ever open again). Each app that keeps such things registers a
holder in its AppConfig.ready():

    from sonar.accounts import departures
    departures.register(holder)

A holder (a module will do) has two texts for the deletion page, `blocked_text` (introduces
what to hand over) and `removed_text` (introduces what goes with the account), and four
functions of the user, all called inside the deletion's transaction, `lock` first, so that two
people leaving at once are checked one after the other:

- lock(user): lock the rows its rule reads (select_for_update);
- blockers(user): [(name, url)] of what would be left without anyone to manage it: the person
  must hand it over first, at `url`;
- removed(user): [name] of what only she uses: it is deleted with the account (the deletion
  page says so);
- remove(user): delete those.

The account's own organisations follow the same rules (sonar/accounts/actions.py).
"""

_holders = []


def register(holder):
    if holder not in _holders:
        _holders.append(holder)


def registered():
    return list(_holders)
