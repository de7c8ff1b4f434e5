"""Database models, one module per concern. Importing this package registers them all."""

from services.models.accounts import ApiToken, Organisation, RememberToken, Role, User
from services.models.audit import AuditEntry
from services.models.budgets import AICall, OrgBudgetSettings  # noqa: F401 - registers the budget tables
from services.models.notifications import NotificationAttempt, NotificationDelivery, Webhook  # noqa: F401 - registers the notification tables
from services.models.provider import ProviderSetting  # noqa: F401 - registers the provider table
from services.models.runs import Run, RunEvent, RunStatus
from services.models.sessions import SessionRecord

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Organisation",
    "RememberToken",
    "Role",
    "Run",
    "RunEvent",
    "RunStatus",
    "SessionRecord",
    "User",
]
