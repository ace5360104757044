"""Reading a case page's process map (workflows/process_map.html) in the
processes' tests: the inline SVG parsed, its boxes by state."""

import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def map_svg(html):
    match = re.search(r'<div class="card process-map".*?(<svg .*?</svg>)', html, re.S)
    assert match, "the page shows no process map"
    return ET.fromstring(match.group(1))


def _groups(svg, cls):
    return [g for g in svg.iter(f"{SVG}g") if cls in g.get("class", "").split()]


def state_classes(svg):
    """{state: set of classes} of every box."""
    return {g.get("data-state"): set(g.get("class", "").split()) for g in _groups(svg, "pm-state")}


def visits(svg):
    return {g.get("data-state"): int(g.get("data-visits") or 0) for g in _groups(svg, "pm-state")}


def taken_moves(svg):
    return {(g.get("data-source"), g.get("data-target")) for g in _groups(svg, "pm-move")
            if "pm-taken" in g.get("class", "").split()}


def drawn_moves(svg):
    return {(g.get("data-source"), g.get("data-target")) for g in _groups(svg, "pm-move")}


def assert_map(html, process, *, current, visited, rounds=None):
    """The page's map draws every declared state and move, marks the
    current state (only it) and exactly the visited states."""
    svg = map_svg(html)
    boxes = state_classes(svg)
    assert set(boxes) >= {str(s) for pair in process.allowed() for s in pair}
    assert drawn_moves(svg) == {(str(a), str(b)) for a, b in process.allowed()}
    assert [s for s, c in boxes.items() if "pm-current" in c] == [str(current)]
    assert {s for s, c in boxes.items() if "pm-visited" in c} == {str(s) for s in visited}
    for state, count in (rounds or {}).items():
        assert visits(svg)[str(state)] == count
    assert "<script" not in html.split('class="card process-map"')[1].split("</svg>")[0]
    return svg


def assert_holders_shown(html, case):
    """The side of the map names the open tasks' deadlines."""
    from workflows.steps.deadlines import open_deadlines

    side = html.split('class="process-map-side"')[1]
    for deadline in open_deadlines(case):
        assert deadline.due_on.strftime("%Y-%m-%d") in side
    return side
