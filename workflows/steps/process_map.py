"""The process map of a case, drawn by the app from the declaration.

One column of boxes, one per declared state (the live states ranked by
their distance from the initial state, then the final states), each naming
its state and the step open in it. Every declared move is an arrow
labelled with its decisions: to the next box straight down, further down on
the right, back up on the left, each arc in a lane of its own. The case's
own path comes from its audit history (every entry that moved it): the
states it reached are marked, with how many times where it came back
(rounds), the moves it took are drawn strong, its current state stands out.
Beside the map: who holds the open step and until when.

Rendered by `workflows/process_map.html` as inline SVG (no script, no
style attribute: the stylesheet's classes), scaled to the page's width.
The geometry is computed here in whole pixels; the template only writes it
out, escaped.
"""

from collections import Counter, defaultdict, deque

from django.utils.translation import gettext as _

from workflows.audit import action_label, history_of
from workflows.steps.registry import process_for

MIN_BOX_W = 140
MIN_BOX_H = 40
GAP = 26
LANE = 11
PAD = 8
EXIT_SPACING = 13
FONT_W_WIDE = 11  # a CJK character at the labels' size
FONT_W_NARROW = 6


def text_width(text, scale=1.0):
    """Roughly how wide `text` is at the arrows' label size (at `scale`
    times that size), in pixels."""
    return int(scale * sum(FONT_W_WIDE if ord(c) > 0x2E7F else FONT_W_NARROW for c in str(text)))


def declared_states(process):
    """The states the declaration names, in map order: the live ones by
    their distance (in moves) from the initial state, then the finals."""
    allowed = process.allowed()
    order = [process.initial]
    for step in process.steps:
        order.extend(step.states)
    order.extend(process.final_states)
    for source, target in sorted(allowed, key=lambda pair: (str(pair[0]), str(pair[1]))):
        order.extend((source, target))
    declared_order = {}
    for state in order:
        declared_order.setdefault(str(state), len(declared_order))
    following = defaultdict(set)
    for source, target in allowed:
        following[str(source)].add(str(target))
    rank = {str(process.initial): 0}
    queue = deque([str(process.initial)])
    while queue:
        state = queue.popleft()
        for nxt in sorted(following[state], key=declared_order.get):
            if nxt not in rank:
                rank[nxt] = rank[state] + 1
                queue.append(nxt)
    finals = {str(s) for s in process.final_states}
    live = [s for s in declared_order if s not in finals]
    live.sort(key=lambda s: (rank.get(s, len(declared_order)), declared_order[s]))
    return live + [s for s in declared_order if s in finals]


def move_labels(process):
    """{(source, target): [labels]}: the decisions and transitions that
    take a case from one state to the other, as their buttons read."""
    labels = defaultdict(list)

    def add(pair, label):
        text = str(label)
        if text not in labels[pair]:
            labels[pair].append(text)

    for step in process.steps:
        for decision in step.decisions:
            for source in step.states:
                add((str(source), str(decision.target)), decision.label)
    for transition in process.transitions:
        label = transition.label or action_label(process.audit_action(transition.code, transition.action))
        for source in transition.sources:
            add((str(source), str(transition.target)), label)
    return labels


def case_path(case):
    """The states the case went through, in order, from its audit history
    (each entry that moved it), starting at the first state it was in.
    An entry under a history alias moved it between the states its process
    maps the old ones to (workflows.history_aliases)."""
    moves = [
        (str(source), str(target))
        for source, target in history_of(case).select_related(None).exclude(to_state="").values_list(
            "own_from_state", "own_to_state")
        if source and source != target
    ]
    if not moves:
        return [str(case.state)]
    return [moves[0][0]] + [to for _from, to in moves]


def _assign_lanes(edges):
    """Give each arc the innermost lane where it crosses no other arc's
    rows (shortest arcs inside)."""
    lanes = []  # per lane: the row intervals it holds
    for edge in sorted(edges, key=lambda e: (abs(e["to_row"] - e["from_row"]), e["from_row"], e["to_row"])):
        low, high = sorted((edge["from_row"], edge["to_row"]))
        for index, taken in enumerate(lanes):
            if all(high < a or low > b for a, b in taken):
                taken.append((low, high))
                edge["lane"] = index
                break
        else:
            lanes.append([(low, high)])
            edge["lane"] = len(lanes) - 1
    return len(lanes)


def build_map(case, process=None):
    """What the template draws for `case`: boxes, arrows, the path and the
    open steps' holders. None when no process runs the case's model."""
    process = process or process_for(case)
    if process is None:
        return None
    model = type(case)
    state_labels = {str(k): str(v) for k, v in model._meta.get_field("state").flatchoices}
    states = declared_states(process)
    row = {state: i for i, state in enumerate(states)}
    labels = move_labels(process)
    path = case_path(case)
    visits = Counter(path)
    taken = Counter(zip(path, path[1:]))
    current = str(case.state)
    finals = {str(s) for s in process.final_states}

    # The arrows, each on a side: straight to the next box, right going down,
    # left going up.
    edges = []
    for (source, target), texts in sorted(labels.items(), key=lambda item: (row.get(item[0][0], 0), row.get(item[0][1], 0))):
        if source not in row or target not in row:
            continue
        edge = {"source": source, "target": target, "from_row": row[source], "to_row": row[target],
                "label": " / ".join(texts), "taken": taken.get((source, target), 0)}
        if edge["taken"] > 1:
            edge["label"] += " " + _("×%(count)d") % {"count": edge["taken"]}
        if row[target] == row[source] + 1:
            edge["side"] = "straight"
        elif row[target] > row[source]:
            edge["side"] = "right"
        else:
            edge["side"] = "left"
        edges.append(edge)
    right = [e for e in edges if e["side"] == "right"]
    left = [e for e in edges if e["side"] == "left"]
    right_lanes = _assign_lanes(right)
    left_lanes = _assign_lanes(left)

    # The ends of the arcs along each box's side, one apart from the other.
    ends = defaultdict(list)  # (state, side) -> edges ending or starting there
    for edge in right + left:
        ends[(edge["source"], edge["side"])].append(("out", edge))
        ends[(edge["target"], edge["side"])].append(("in", edge))
    heights = {
        state: max(MIN_BOX_H, max((len(ends[(state, side)]) for side in ("right", "left")), default=0) * EXIT_SPACING + PAD)
        for state in states
    }

    left_label_w = max((text_width(e["label"]) for e in left), default=0)
    right_label_w = max((text_width(e["label"]) for e in right), default=0)
    straight_label_w = max((text_width(e["label"]) for e in edges if e["side"] == "straight"), default=0)
    # Wide enough for the longest state name (bold, 12px) and step title.
    box_w = max([MIN_BOX_W] + [
        max(text_width(state_labels.get(s, s), 1.15), text_width(_step_title(process, s), 0.95)) + 24 for s in states
    ])
    box_x = PAD + left_label_w + (left_lanes + 1) * LANE + (4 if left else 0)
    box_right = box_x + box_w
    centre_x = box_x + box_w // 2
    width = max(box_right + (right_lanes + 1) * LANE + right_label_w + PAD + 4, centre_x + 6 + straight_label_w + PAD)

    boxes = []
    tops = {}
    y = PAD
    for state in states:
        tops[state] = y
        step = process.step_of_state(state)
        classes = ["pm-state"]
        if state in finals:
            classes.append("pm-final")
        if visits.get(state):
            classes.append("pm-visited")
        if state == current:
            classes.append("pm-current")
        count = visits.get(state, 0)
        h = heights[state]
        boxes.append({
            "state": state, "x": box_x, "y": y, "w": box_w, "h": h, "classes": " ".join(classes),
            "label": state_labels.get(state, state), "step": str(step.title) if step is not None else "",
            "visits": count, "visits_text": _("×%(count)d") % {"count": count} if count > 1 else "",
            "tooltip": _box_tooltip(state_labels.get(state, state), state == current, count),
            "cx": centre_x, "label_y": y + (h // 2 - 2 if step is not None else h // 2 + 5),
            "step_y": y + h // 2 + 13, "count_x": box_right - 6, "count_y": y + 13,
        })
        y += h + GAP
    height = y - GAP + PAD

    # Where each arc leaves and enters its boxes.
    anchor_y = {}
    for (state, side), items in ends.items():
        top, h = tops[state], heights[state]
        n = len(items)
        first = top + (h - (n - 1) * EXIT_SPACING) // 2
        items.sort(key=lambda item: (item[1]["to_row"] if item[0] == "out" else item[1]["from_row"], item[0]))
        for i, (kind, edge) in enumerate(items):
            anchor_y[(kind, id(edge))] = first + i * EXIT_SPACING

    for edge in edges:
        classes = ["pm-move"] + (["pm-taken"] if edge["taken"] else [])
        edge["classes"] = " ".join(classes)
        if edge["side"] == "straight":
            y1 = tops[edge["source"]] + heights[edge["source"]]
            y2 = tops[edge["target"]] - 2
            edge["d"] = f"M{centre_x},{y1} V{y2}"
            edge["lx"], edge["ly"], edge["anchor"] = centre_x + 6, (y1 + y2) // 2 + 4, "start"
        else:
            y1 = anchor_y[("out", id(edge))]
            y2 = anchor_y[("in", id(edge))]
            if edge["side"] == "right":
                x = box_right + (edge["lane"] + 1) * LANE
                edge["d"] = f"M{box_right},{y1} H{x} V{y2} H{box_right + 2}"
                edge["lx"], edge["anchor"] = x + 4, "start"
            else:
                x = box_x - (edge["lane"] + 1) * LANE
                edge["d"] = f"M{box_x},{y1} H{x} V{y2} H{box_x - 2}"
                edge["lx"], edge["anchor"] = x - 4, "end"
            edge["ly"] = y1 + 4
    # The moves the case took are drawn last, on top of the others.
    edges.sort(key=lambda e: bool(e["taken"]))

    return {
        "width": width, "height": height, "boxes": boxes, "edges": edges,
        "current": current, "current_label": state_labels.get(current, current),
        "path": [state_labels.get(s, s) for s in path],
        "holders": open_step_holders(case, process),
        "title": str(process.title),
    }


def _step_title(process, state):
    step = process.step_of_state(state)
    return str(step.title) if step is not None else ""


def _box_tooltip(label, is_current, count):
    parts = [label]
    if is_current:
        parts.append(_("the case is here"))
    if count > 1:
        parts.append(_("reached %(count)d times") % {"count": count})
    elif count == 1:
        parts.append(_("reached"))
    return " · ".join(parts)


def open_step_holders(case, process=None):
    """Who holds each open task of the case and until when: the step, the
    role and organisation it waits on (or the person it is assigned to),
    its deadline and whether that has passed."""
    from django.utils import timezone

    from workflows.models import Organisation
    from workflows.organisations.roles import role_label
    from workflows.steps.tasks import ROLE_PREFIX, open_tasks

    process = process or process_for(case)
    tasks = list(open_tasks(case).select_related("owner", "deadline"))
    org_ids = {int(t.owner_permission_obj_pk) for t in tasks if t.owner_permission_obj_pk}
    orgs = Organisation.objects.in_bulk(org_ids) if org_ids else {}
    today = timezone.localdate()
    holders = []
    for task in tasks:
        try:
            step_title = str(process.step(task.flow_task.name).title)
        except KeyError:
            step_title = str(task.flow_task.task_title)
        role = (task.owner_permission or "").removeprefix(ROLE_PREFIX)
        organisation = orgs.get(int(task.owner_permission_obj_pk)) if task.owner_permission_obj_pk else None
        deadline = getattr(task, "deadline", None)
        holders.append({
            "step": step_title,
            "role": str(role_label(role)) if role else "",
            "organisation": organisation,
            "person": (task.owner.get_full_name() or task.owner.username) if task.owner_id else "",
            "due_on": deadline.due_on if deadline is not None else None,
            "overdue": deadline is not None and deadline.is_overdue(today),
        })
    return holders
