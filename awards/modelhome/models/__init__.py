"""The model-home models, one module per concern; import them from here."""

from .applications import (  # noqa: F401
    AppKind, Application, ApplicationProcess, AppState, Campaign, Inspection,
    InspectionScore, ItemAnswer,
)
from .standards import Grade, ItemKind, Level, StandardItem, StandardVersion  # noqa: F401
from .titles import HELD_STATUSES, Title, TitleStatus  # noqa: F401
