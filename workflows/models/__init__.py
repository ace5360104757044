"""The engine's models, one module per concern; import them from here."""

from .core import *  # noqa: F401,F403

from .documents import PrintJob, PrintJobStatus  # noqa: F401
from .engine import *  # noqa: F401,F403
