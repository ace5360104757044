"""The header's links, from a registry instead of a template that names
every app: the engine registers its own pages, each process registers its
own when its app loads (in `AppConfig.ready`). A new process adds its links
beside its declaration; nobody edits a shared template.

Invariant: a link is shown only when its `visible(request)` says so, and
`visible` may only read what the header already loads once per request
(the user's memberships are cached per user object), so the header costs
the same number of queries whatever is registered."""

from dataclasses import dataclass
from typing import Callable

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str  # lazy translation: rendered in the reader's language
    url_name: str
    order: int
    visible: Callable | None


_links: dict[str, NavLink] = {}


def register_nav_link(key, label, url_name, *, order=100, visible=None, district_admin_only=False):
    """Show `label` linking to `url_name` in every page's header. `order`
    sorts the links (processes 10–99, the engine's shared pages 100–199,
    the district's administration 200+). `district_admin_only` is the common
    case of `visible`; registering a key again replaces it (app reloads in
    tests)."""
    if district_admin_only:
        if visible is not None:
            raise ValueError("give either visible or district_admin_only")
        visible = _district_admin
    _links[key] = NavLink(key, label, url_name, order, visible)


def _district_admin(request):
    from workflows.context_processors import header

    return bool(header(request).get("is_district_admin"))


def nav_links_for(request):
    """The links `request.user` sees, in order, as (label, url) pairs. A link
    whose URL is not installed (an app left out, as in the engine's own test
    settings) is skipped rather than breaking every page."""
    shown = []
    for link in sorted(_links.values(), key=lambda link: (link.order, link.key)):
        if link.visible is not None and not link.visible(request):
            continue
        try:
            shown.append((link.label, reverse(link.url_name)))
        except NoReverseMatch:
            continue
    return shown


def registered_nav_links():
    return dict(_links)
