"""The engine's models, one module per concern; import them from here."""

from .core import *  # noqa: F401,F403
from .core import (  # noqa: F401
    BRANCH_ROLES,
    CalendarDay,
    AppendOnlyQuerySet,
    AuditEntry,
    Certificate,
    CertificateStatus,
    Document,
    Membership,
    Organisation,
    OrgKind,
    ProtectedStateMixin,
    Role,
    Sector,
    new_verification_token,
)
from .documents import PrintJob, PrintJobStatus  # noqa: F401,E402
from .engine import *  # noqa: F401,F403,E402
