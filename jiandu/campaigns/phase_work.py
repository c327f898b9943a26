"""The counts next to each phase's link on the campaign page (已上报 n 份, n 次检查, 问题
n 个 ...). The phases' own apps (supervision, ledger) stand above campaigns, so each
registers a counter here when the apps are ready (its apps.py); the page adds up what
the counters give. A counter takes (user, campaign) and returns a dict of counts, scoped
like the pages the links lead to."""

_counters = []


def register(counter) -> None:
    if counter not in _counters:
        _counters.append(counter)


def counts(user, campaign) -> dict:
    work = {}
    for counter in _counters:
        work.update(counter(user, campaign))
    return work
