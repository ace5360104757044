"""Model home's words on top of the engine's scoring standards
(workflows.models.scoring): the level a unit applies at. The grades are the
standard version's (its two thresholds), named here for model home's
titles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models import Grade, ItemKind, StandardItem, StandardVersion  # noqa: F401


class Level(models.TextChoices):
    HOME = "home", _("Model workers' home (之家)")
    SMALL_HOME = "small_home", _("Model workers' small home (小家)")
