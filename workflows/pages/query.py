"""What a page reads from its query string, the same way on every page."""

FIRST_YEAR, LAST_YEAR = 2000, 2100


def asked_year(params, default=None):
    """The year in `params` ("year", 2000–2100), else `default()` (a
    callable, asked only when needed), else None."""
    raw = params.get("year", "")
    if raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return default() if default else None


def query_without_page(request, name="page"):
    """The query string without its page number `name` (for a pager's links)."""
    params = request.GET.copy()
    params.pop(name, None)
    return params.urlencode()
