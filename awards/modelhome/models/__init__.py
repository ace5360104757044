"""The model-home models, one module per concern; import them from here."""

from workflows.models import Grade, ItemKind, StandardItem, StandardVersion  # noqa: F401

from .applications import (  # noqa: F401
    AppKind, Application, ApplicationProcess, AppState, Campaign, Inspection, InspectionScore, ItemAnswer, Level,
)
from .titles import HELD_STATUSES, Title, TitleStatus  # noqa: F401
