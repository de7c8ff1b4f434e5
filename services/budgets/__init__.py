"""Budgets that hold: organisation budget settings, the AI-spend ledger, the metered LLM client,
the business-budget ledger and spend reporting.

The run's wiring (`services/runs/wiring.py`) puts these together for a run; the admin API and UI
use `get_budget_settings`, `update_budget_settings`, `set_run_ai_cap`, `spend_report` and
`audit_entries`.
"""

from services.budgets.ai_ledger import AILedger
from services.budgets.ai_usage import CallRecord, CapReached, ScopeUsage
from services.budgets.audit_trail import audit_entries
from services.budgets.business import SqlBudgetLedger, record_overrun_decision
from services.budgets.metered import MeteredLLMClient
from services.budgets.settings import (
    BudgetSettings,
    BudgetSettingsError,
    BudgetSettingsPatch,
    RunFinishedError,
    check_run_budget,
    get_budget_settings,
    resolve_run_ai_cap,
    set_run_ai_cap,
    update_budget_settings,
)
from services.budgets.spend import GROUPS, SpendReport, spend_report

__all__ = [
    "GROUPS",
    "AILedger",
    "BudgetSettings",
    "BudgetSettingsError",
    "BudgetSettingsPatch",
    "CallRecord",
    "CapReached",
    "MeteredLLMClient",
    "RunFinishedError",
    "ScopeUsage",
    "SpendReport",
    "SqlBudgetLedger",
    "audit_entries",
    "check_run_budget",
    "get_budget_settings",
    "record_overrun_decision",
    "resolve_run_ai_cap",
    "set_run_ai_cap",
    "spend_report",
    "update_budget_settings",
]
