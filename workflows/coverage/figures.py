"""Targets against figures, per branch: what a coverage section of any
process counts and shows.

A process states its targets (objects with `code`, `label`, `target`, a
`unit` of "percent" or "count" and `get_unit_display()`) and, per target, two
conditions over its rows: who counts in the base and who of those meets the
target. The engine counts every target for every branch (the intermediate
unions under the district, found by their path prefix) in one GROUP BY
query, so a page's queries do not grow with the organisations; it draws
the bars (SVG on the server, no script, no CDN), the section's cards and
the section's Excel sheet."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Value, When
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from workflows.documents.xlsx import POINTS_FORMAT, Percent, Sheet
from workflows.models import Organisation, OrgKind

COUNT = "count"


@dataclass
class Figure:
    met: int
    base: int
    target: Decimal
    unit: str

    @property
    def value(self):
        """A percentage (one decimal) or, for a count target, the count."""
        if self.unit == COUNT:
            return Decimal(self.met)
        if not self.base:
            return None
        return (Decimal(self.met) * 100 / Decimal(self.base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def reached(self):
        return self.value is not None and self.value >= self.target


def plain(number):
    """50.00 → 50, 33.30 → 33.3: figures as people write them."""
    if number is None:
        return None
    return int(number) if number == int(number) else float(number.normalize())


def branches_of(scope):
    """The rows of a section: each intermediate union under the district,
    or the intermediate union itself."""
    if scope.kind == OrgKind.INTERMEDIATE:
        return [scope]
    return list(Organisation.objects.filter(parent=scope, kind=OrgKind.INTERMEDIATE).order_by("path"))


def branch_annotation(branches, path="path"):
    """Each row's branch: the id of the intermediate union whose path
    prefixes the row's `path` (0: directly under the district)."""
    if not branches:
        return Value(0, output_field=IntegerField())
    return Case(*[When(**{f"{path}__startswith": b.path}, then=Value(b.pk)) for b in branches],
                default=Value(0), output_field=IntegerField())


def counted_by_branch(queryset, rules, branches, path="path"):
    """{branch id: {code: (met, base)}} with one GROUP BY query; `rules` is
    {code: (base Q or None for a count target, met Q)}."""
    aggregates = {}
    for code, (base, met) in rules.items():
        # An empty Q is no filter at all (Django refuses an empty FILTER clause).
        aggregates[f"{code}__base"] = Count("pk", filter=base) if base else Count("pk")
        aggregates[f"{code}__met"] = Count("pk", filter=(base & met) if base else met)
    rows = queryset.annotate(branch=branch_annotation(branches, path)).values("branch").annotate(**aggregates)
    return {row["branch"]: {code: (row[f"{code}__met"], row[f"{code}__base"]) for code in rules}
            for row in rows.order_by()}


def branch_label(branch):
    return branch.name if branch is not None else _("Directly under the district")


# The bars: a bar per branch against the target's line, readable on a 390 px
# phone (the SVG scales).
ROW, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 26, 150, 200, 60


def _short(text, limit=10):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def target_chart(title, rows, target, unit_suffix):
    """`rows`: [(label, value or None)]; `target`: the line's figure.
    Returns safe SVG markup."""
    values = [float(v) for _label, v in rows if v is not None]
    top = max([float(target), *values, 1.0])
    if unit_suffix == "%":
        top = max(top, 100.0)
    height = ROW * len(rows) + 24
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    x_target = LABEL_WIDTH + BAR_WIDTH * float(target) / top
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 6 + i * ROW
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
                     f"{escape(_short(label))}</text>")
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="18" fill="#eef1f5"/>')
        if value is not None:
            length = BAR_WIDTH * float(value) / top
            colour = "#2e7d32" if float(value) >= float(target) else "#c62828"
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="18" fill="{colour}"/>')
            text = f"{value}{unit_suffix}"
        else:
            text = "—"
        parts.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 14}" font-size="12">{escape(text)}</text>')
    parts.append(f'<line x1="{x_target:.1f}" y1="0" x2="{x_target:.1f}" y2="{height - 16}" stroke="#1a237e" '
                 f'stroke-width="2" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{x_target:.1f}" y="{height - 3}" text-anchor="middle" font-size="11" fill="#1a237e">'
                 f"{escape(f'{target}{unit_suffix}')}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))


def targets_section(request, data, *, heading, scope, year, missing_url, branches_shown=False, close_url=None,
                    closed=None):
    """The section's HTML: a card per target (its figure, the bars, a row
    per branch and a link to `missing_url(code)`, the units not yet counted);
    `data` as figures are computed ({"targets": [{"target", "overall",
    "rows"}], "branches"}); `close_url`, when the user may freeze the year."""
    cards = []
    for entry in data["targets"]:
        target = entry["target"]
        suffix = "" if target.unit == COUNT else "%"
        labelled = [(data["branches"][i], figure) for i, (_key, figure) in enumerate(entry["rows"])]
        bars = [(branch_label(b), figure.value) for b, figure in labelled]
        if len(bars) != 1:
            bars.append((_("All"), entry["overall"].value))
        cards.append({
            "target": target, "target_figure": plain(target.target), "suffix": suffix, "overall": entry["overall"],
            "overall_value": plain(entry["overall"].value), "missing_url": missing_url(target.code),
            "rows": [(b, figure, plain(figure.value)) for b, figure in labelled],
            "chart": target_chart(target.label, bars, plain(target.target), suffix),
        })
    return render_to_string("workflows/coverage/_targets.html", {
        "heading": heading, "scope": scope, "year": year, "cards": cards, "closed": closed, "close_url": close_url,
        "may_close": close_url is not None,
        "may_choose_branch": branches_shown, "branches": [b for b in data["branches"] if b is not None],
    }, request=request)


def targets_sheet(data, *, title):
    """The section's sheet of the coverage download: one row per target,
    the overall figure then each branch's, headings in the district's
    language. A figure in percent stays the number people write (66.7)
    and shows a % sign. `title()` is asked in that language too."""
    with translation.override(settings.LANGUAGE_CODE):
        header = [_("Target"), _("Target figure"), _("Unit"), _("Counted"), _("Base"), _("Figure"), _("Reached")]
        for name in (branch_label(b) for b in data["branches"]):
            header += [f"{name} · {_('Figure')}", f"{name} · {_('Counted')}", f"{name} · {_('Base')}"]
        rows = []
        for entry in data["targets"]:
            target, overall = entry["target"], entry["overall"]
            percent = target.unit != COUNT

            def shown(number):
                return Percent(plain(number), POINTS_FORMAT) if percent and number is not None else plain(number)

            row = [target.label, shown(target.target), target.get_unit_display(), overall.met,
                   overall.base if percent else None, shown(overall.value),
                   _("yes") if overall.reached else _("no")]
            for _key, figure in entry["rows"]:
                row += [shown(figure.value), figure.met, figure.base if percent else None]
            rows.append(row)
        title = str(title())
        return Sheet(_("Coverage"), header, rows, caption=[title], page_title=title)
