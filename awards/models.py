"""The awards app's models. Each award process keeps its models in its own
package (the May Day award in awards/mayday/); this module imports them so
that Django registers them under the `awards` app."""

from awards.mayday.models import *  # noqa: F401,F403
from awards.mayday.models import (  # noqa: F401  (named by migrations)
    default_notice_fields,
    default_step_deadline_days,
)
