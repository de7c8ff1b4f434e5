"""Deterministic answers the offline LLM client gives, one module per kind of prompt.

The report says once, prominently, that they come from rules and reference data (no AI model);
the answers themselves do not repeat it.
"""
