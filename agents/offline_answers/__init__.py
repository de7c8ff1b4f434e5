"""Deterministic answers the offline LLM client gives, one module per kind of prompt."""

OFFLINE_NOTE = (
    "_Produced offline by Catalyst's built-in knowledge base; no AI model was called. Figures are "
    "indicative public fees and market rates: confirm them before you spend._"
)
