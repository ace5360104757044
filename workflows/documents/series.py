"""What a certificate series is called on the page: the process that
issues certificates names its series (a campaign's code) by its title, so
a list's filter reads the campaign's title, not its code. A process
registers `titles(codes) -> {code: title}` (one query for all codes); a
series no process names is shown by its code."""

_NAMERS = []


def register_series_titles(namer):
    if namer not in _NAMERS:
        _NAMERS.append(namer)


def series_titles(codes):
    """[(code, title)] for `codes`, in their order."""
    codes = list(codes)
    titles = {}
    for namer in _NAMERS:
        titles.update({code: title for code, title in namer(codes).items() if code not in titles})
    return [(code, titles.get(code) or code) for code in codes]
