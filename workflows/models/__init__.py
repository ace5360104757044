"""The engine's models, one module per concern; import them from here."""

from workflows.models.core import *  # noqa: F401,F403

from workflows.models.documents import PrintJob, PrintJobStatus  # noqa: F401
from workflows.models.engine import *  # noqa: F401,F403
from workflows.models.accounts import AccountProfile, ExternalIdentity, SignOnProvider  # noqa: F401
from workflows.models.outbox import OutboxItem, OutboxState  # noqa: F401
from workflows.models.bulk_runs import BulkItemStatus, BulkRun, BulkRunItem  # noqa: F401
from workflows.models.channels import (  # noqa: F401
    EXTERNAL_CHANNELS, Channel, ChannelChoice, ChannelDelivery, ChannelSettings, DeliveryState,
)
from workflows.models.api import ApiScope, ApiToken, DeliveryStatus, Webhook, WebhookDelivery  # noqa: F401
from workflows.models.attachments import Attachment  # noqa: F401
from workflows.models.quotas import Quota  # noqa: F401
from workflows.models.scoring import (  # noqa: F401
    Grade, InspectionSheet, ItemKind, ScoreRow, Standard, StandardItem, StandardSection, StandardVersion,
)
from workflows.models.titles import HELD_STATUSES, HeldTitle, TitleStatus  # noqa: F401
