"""The coverage figures as an Excel workbook (the dashboard's download and
`manage.py export_coverage`). Headings in the district's language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .closed_years import figures


def plain(number):
    """50.00 → 50, 33.30 → 33.3: figures as people write them."""
    if number is None:
        return None
    return int(number) if number == int(number) else float(number.normalize())


def coverage_workbook(scope, year, today=None):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = figures(scope, year, today=today)
    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Coverage")[:31]
        sheet.append([_("Coverage of the work plan's targets, %(year)s · %(scope)s") % {"year": year,
                                                                                       "scope": scope.name}])
        sheet["A1"].font = Font(bold=True)
        branch_names = [b.name if b else _("Directly under the district") for b in data["branches"]]
        header = [_("Target"), _("Target figure"), _("Unit"), _("Counted"), _("Base"), _("Figure"), _("Reached")]
        for name in branch_names:
            header += [f"{name} · {_('Figure')}", f"{name} · {_('Counted')}", f"{name} · {_('Base')}"]
        sheet.append(header)
        for entry in data["targets"]:
            target, overall = entry["target"], entry["overall"]
            row = [target.label, plain(target.target), target.get_unit_display(), overall.met,
                   overall.base if target.unit == "percent" else None, plain(overall.value),
                   _("yes") if overall.reached else _("no")]
            for _key, figure in entry["rows"]:
                row += [plain(figure.value), figure.met, figure.base if target.unit == "percent" else None]
            sheet.append(row)
        sheet.column_dimensions["A"].width = 40
    return workbook
