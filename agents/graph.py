"""Wiring of the workflow graph: nodes, typed routers and the parallel fan-out. No logic here."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END, START, StateGraph

from agents.context import RunContext
from agents.events import journaled
from agents.nodes.budgeting import budget
from agents.nodes.execution import assignments, start_execution
from agents.nodes.intake import intake
from agents.nodes.planning import plan
from agents.nodes.report import report
from agents.nodes.review import review
from agents.specialists import SPECIALIST_NODES
from agents.state import WorkflowInput, WorkflowState

# The widest fan-out; the run config's max_concurrency must exceed it (see ARCHITECTURE.md).
MAX_FAN_OUT = len(SPECIALIST_NODES)


def after_budgeting(state: WorkflowState) -> Literal["execution", "review"]:
    """Skip execution when the plan was rejected or nothing was funded."""
    allocation = state["allocation"]
    return "execution" if allocation["executed"] and allocation["by_agent"] else "review"


def build_graph() -> StateGraph[WorkflowState, RunContext, WorkflowInput, WorkflowState]:
    """The uncompiled graph; the Workflow compiles it with a checkpointer."""
    graph = StateGraph(WorkflowState, context_schema=RunContext, input_schema=WorkflowInput)
    graph.add_node("intake", journaled(intake))
    graph.add_node("planning", journaled(plan))
    graph.add_node("budgeting", journaled(budget))
    graph.add_node("execution", journaled(start_execution))
    for name, node in SPECIALIST_NODES.items():
        graph.add_node(name, journaled(node))
    graph.add_node("review", journaled(review))
    graph.add_node("report", journaled(report))

    graph.add_edge(START, "intake")
    graph.add_edge("intake", "planning")
    graph.add_edge("planning", "budgeting")
    graph.add_conditional_edges("budgeting", after_budgeting, ["execution", "review"])
    graph.add_conditional_edges("execution", assignments, list(SPECIALIST_NODES))
    for name in SPECIALIST_NODES:
        graph.add_edge(name, "review")
    graph.add_edge("review", "report")
    graph.add_edge("report", END)
    return graph
