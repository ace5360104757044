"""The coverage figures as an Excel workbook (the dashboard's download and
`manage.py export_coverage`). Headings in the district's language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from workflows.documents.xlsx import POINTS_FORMAT, Percent, Sheet, write_workbook

from .closed_years import figures


def plain(number):
    """50.00 → 50, 33.30 → 33.3: figures as people write them."""
    if number is None:
        return None
    return int(number) if number == int(number) else float(number.normalize())


def coverage_workbook(scope, year, today=None):
    """The .xlsx bytes of the coverage figures (`manage.py export_coverage`)."""
    return write_workbook([coverage_sheet(scope, year, today=today)])


def coverage_sheet(scope, year, today=None):
    """The sheet of the coverage figures (in the coverage page's download):
    one row per target, the overall figure then each branch's. A figure in
    percent stays the number people write (66.7) and shows a % sign."""
    data = figures(scope, year, today=today)
    with translation.override(settings.LANGUAGE_CODE):
        branch_names = [b.name if b else _("Directly under the district") for b in data["branches"]]
        header = [_("Target"), _("Target figure"), _("Unit"), _("Counted"), _("Base"), _("Figure"), _("Reached")]
        for name in branch_names:
            header += [f"{name} · {_('Figure')}", f"{name} · {_('Counted')}", f"{name} · {_('Base')}"]
        rows = []
        for entry in data["targets"]:
            target, overall = entry["target"], entry["overall"]
            percent = target.unit == "percent"

            def shown(number):
                return Percent(plain(number), POINTS_FORMAT) if percent and number is not None else plain(number)

            row = [target.label, shown(target.target), target.get_unit_display(), overall.met,
                   overall.base if percent else None, shown(overall.value),
                   _("yes") if overall.reached else _("no")]
            for _key, figure in entry["rows"]:
                row += [shown(figure.value), figure.met, figure.base if percent else None]
            rows.append(row)
        title = _("Coverage of the work plan's targets, %(year)s · %(scope)s") % {"year": year, "scope": scope.name}
        return Sheet(_("Coverage"), header, rows, caption=[title], page_title=title)
