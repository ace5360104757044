"""The score sheet's totals and checks are the standard's: the engine's
(workflows.scoring.sheet). Kept under this name for the application pages'
imports."""

from workflows.scoring.sheet import (  # noqa: F401
    Incomplete, SectionTotal, completeness_errors, grade_for, item_name, parse_points, section_totals, signed, total_of,
)
