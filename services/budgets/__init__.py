"""Budgets that hold: organisation budget settings, the AI-spend ledger, the metered LLM client,
the business-budget ledger and spend reporting.

Entry points for other packages:
- run service: `install(service)` (or the single hooks `make_llm`, `make_ledger`, `share_caps`,
  `overrun_policy`, `resolve_run_ai_cap`, `record_overrun_decision`), `sweep_reservations()`;
- admin API and UI: `get_budget_settings`, `update_budget_settings`, `set_run_ai_cap`,
  `spend_report`, `audit_entries`.
"""

from services.budgets.ai_ledger import AILedger, CallRecord, CapReached, ScopeUsage
from services.budgets.audit_trail import audit_entries
from services.budgets.business import SqlBudgetLedger, record_overrun_decision
from services.budgets.hooks import (
    ai_ledger,
    install,
    make_ledger,
    make_llm,
    metered,
    overrun_policy,
    share_caps,
    sweep_reservations,
)
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
    "ai_ledger",
    "audit_entries",
    "check_run_budget",
    "get_budget_settings",
    "install",
    "make_ledger",
    "make_llm",
    "metered",
    "overrun_policy",
    "record_overrun_decision",
    "resolve_run_ai_cap",
    "set_run_ai_cap",
    "share_caps",
    "spend_report",
    "sweep_reservations",
    "update_budget_settings",
]
