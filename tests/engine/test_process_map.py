"""The process map of a case, drawn from the declaration: every declared
state a box, every declared move an arrow with its decisions' labels, the
case's path (rounds counted) and its current state marked, the open step's
holder and deadline beside it; inline SVG with no script and no style
attribute (the CSP forbids both)."""

import re
import xml.etree.ElementTree as ET

from django.template.loader import render_to_string as render
from django.utils import translation

from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyState as S
from workflows.steps.decisions import decide
from workflows.steps.process_map import build_map, declared_states

SVG = "{http://www.w3.org/2000/svg}"


def render_to_string(template, context):
    with translation.override("en"):
        return render(template, context)


def svg_of(html):
    match = re.search(r"<svg .*?</svg>", html, re.S)
    assert match, html
    return ET.fromstring(match.group(0))


def groups(svg, cls):
    return [g for g in svg.iter(f"{SVG}g") if cls in g.get("class", "").split()]


def boxes(svg):
    return {g.get("data-state"): g for g in groups(svg, "pm-state")}


def classes(element):
    return set(element.get("class", "").split())


def test_every_declared_state_and_move_is_drawn(people, journey):
    case = journey.new()
    svg = svg_of(render_to_string("workflows/process_map.html", {"case": case}))

    drawn = boxes(svg)
    assert set(drawn) == {str(s) for s in declared_states(TOY)}
    assert set(drawn) >= {str(s) for s in S}  - {""}
    moves = {(g.get("data-source"), g.get("data-target")) for g in groups(svg, "pm-move")}
    assert moves == {(str(a), str(b)) for a, b in TOY.allowed()}
    # Each box names its step; each arrow its decisions.
    review = drawn[S.SUBMITTED]
    assert "Unit review" in "".join(review.itertext())
    to_rejected = [g for g in groups(svg, "pm-move") if (g.get("data-source"), g.get("data-target")) == (S.SUBMITTED, S.REJECTED)]
    assert "Reject" in "".join(to_rejected[0].find(f"{SVG}text").itertext())
    # A new case is a draft: the only state reached, and the current one.
    assert classes(drawn[S.DRAFT]) >= {"pm-current", "pm-visited"}
    assert not [s for s, g in drawn.items() if s != S.DRAFT and "pm-visited" in classes(g)]


def test_the_path_with_its_rounds_and_the_current_state_are_marked(people, journey):
    case = journey.submitted()
    decide(case=case, actor=people.reviewer, decision="return", comment="补充")
    decide(case=case, actor=people.submitter, decision="resubmit")
    decide(case=case, actor=people.reviewer, decision="approve")

    html = render_to_string("workflows/process_map.html", {"case": case})
    svg = svg_of(html)
    drawn = boxes(svg)

    assert "pm-current" in classes(drawn[S.INSPECTION])
    assert [s for s, g in drawn.items() if "pm-current" in classes(g)] == [S.INSPECTION]
    visited = {s for s, g in drawn.items() if "pm-visited" in classes(g)}
    assert visited == {S.DRAFT, S.SUBMITTED, S.RETURNED, S.INSPECTION}
    assert drawn[S.SUBMITTED].get("data-visits") == "2"  # the second round
    assert "×2" in "".join(drawn[S.SUBMITTED].itertext())
    taken = {(g.get("data-source"), g.get("data-target")) for g in groups(svg, "pm-move") if "pm-taken" in classes(g)}
    assert taken == {(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.RETURNED), (S.RETURNED, S.SUBMITTED), (S.SUBMITTED, S.INSPECTION)}
    # The inspection is a fan-out to two named inspectors: both hold it.
    assert "assigned to" in html and html.count("<li><strong>Inspection</strong>") == 2


def test_the_holder_of_the_open_step_and_its_deadline_are_shown(people, journey):
    case = journey.submitted()
    pm = build_map(case)
    [holder] = pm["holders"]
    assert (holder["step"], holder["role"], holder["organisation"]) == ("Unit review", "Reviewer", people.town)
    assert holder["due_on"] is not None and not holder["overdue"]

    html = render_to_string("workflows/process_map.html", {"case": case})
    assert "Reviewer" in html and str(people.town) in html
    assert holder["due_on"].strftime("%Y-%m-%d") in html


def test_the_map_is_csp_clean(people, journey):
    html = render_to_string("workflows/process_map.html", {"case": journey.submitted()})
    assert "<script" not in html and " style=" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
