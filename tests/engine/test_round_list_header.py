"""The engine's round list (workflows.pages.listing.round_list_page) draws
a process's header under its title (its navigation, a panel), given the
header's context, and the rounds paged in the table part."""

from django.contrib.auth.models import AnonymousUser
from django.template import Template

from workflows.cases.lists import Column
from workflows.pages.listing import round_list_page


class Round:
    def __init__(self, n):
        self.n = n

    def get_absolute_url(self):
        return f"/rounds/{self.n}/"


def test_the_header_is_drawn_with_its_context_above_the_paged_rounds(rf):
    request = rf.get("/rounds/", {"page": "2"})
    request.user = AnonymousUser()
    response = round_list_page(
        request, [Round(n) for n in range(1, 4)], title="Rounds", empty="None yet.", page_size=2,
        columns=(Column("Round", lambda r: f"round {r.n}", link=True),),
        header=Template('<p class="panel">{{ tasks|length }} tasks</p>'), header_context={"tasks": [1, 2]})
    html = response.content.decode()
    assert html.index("<h1>Rounds</h1>") < html.index('<p class="panel">2 tasks</p>')
    assert '<a href="/rounds/3/">round 3</a>' in html and "round 1" not in html


def test_without_a_header_nothing_is_drawn_for_it(rf):
    request = rf.get("/rounds/")
    request.user = AnonymousUser()
    html = round_list_page(request, [], title="Rounds", empty="None yet.", columns=()).content.decode()
    assert "None yet." in html and "panel" not in html
