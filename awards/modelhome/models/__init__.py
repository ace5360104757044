"""The model-home models, one module per concern; import them from here."""

from workflows.models import StandardVersion, TitleStatus  # noqa: F401 (read by the forms and the lists)

from .applications import (  # noqa: F401
    AppKind, Application, ApplicationProcess, AppState, Campaign, Inspection, InspectionScore, ItemAnswer, Level,
)
from .titles import Title  # noqa: F401
