"""The LangGraph agent workflow: planner, six specialists, reviewer and reporter.

Entry points: `agents.workflow.Workflow`, `agents.checkpoint.open_checkpointer`,
`agents.offline.OfflineLLMClient`, `agents.memory` (in-memory sink and ledger). No Flask here.
"""
