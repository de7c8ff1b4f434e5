// One human sentence per protocol event, for the event log. Plain text only (rendered as textContent).
import { formatMoney } from "../format.js";

export const PHASES = ["intake", "planning", "budgeting", "approval", "execution", "review", "report"];

export const PHASE_TITLES = {
  intake: "Intake", planning: "Planning", budgeting: "Budgeting", approval: "Approval",
  execution: "Execution", review: "Review", report: "Report",
};

export const CATEGORIES = {
  run: "Run", phase: "Phases", agent: "Agents", budget: "Budget", approval: "Approvals", guardrail: "Guard rails",
};

export function categoryOf(type) {
  const head = String(type || "").split(".")[0];
  return head in CATEGORIES ? head : "run";
}

const REASONS = {
  approval_required: "waiting for an executive to approve the budget overrun",
  ai_budget_exhausted: "the AI-spend cap was reached; an admin has to raise it",
};

export function reasonText(reason) {
  return REASONS[reason] || String(reason || "paused");
}

/** What an agent card says when the agent finishes. */
export function agentOutcome(d) {
  if (d.title) return `Delivered: ${d.title}`;
  if (d.tasks !== undefined) return `Planned ${d.tasks} task(s), ${formatMoney(d.total)} estimated.`;
  if (d.findings !== undefined) return `Reviewed: ${d.findings} finding(s).`;
  if (d.characters !== undefined) return "Report written.";
  return "Finished.";
}

export function describe(event, titles = {}) {
  const d = event.data || {};
  const who = titles[event.agent] || event.agent || "";
  const phase = PHASE_TITLES[event.phase] || event.phase || "";
  switch (event.type) {
    case "run.started": {
      const agents = Array.isArray(d.agents) ? d.agents.length : 0;
      return `Run started for ${d.company ?? "the company"}: budget ${formatMoney(d.budget)} over ${d.timeline_days ?? "?"} days, ${agents} specialist(s).`;
    }
    case "run.paused": return `Paused: ${reasonText(d.reason)}.`;
    case "run.resumed": return d.after === "restart" ? "Resumed after a restart." : "Resumed.";
    case "run.completed": return `Completed: committed ${formatMoney(d.committed)} of ${formatMoney(d.budget)}.`;
    case "run.failed": return `Failed: ${(d.error && d.error.message) || "unknown error"}.`;
    case "run.cancelled": return "Cancelled.";
    case "phase.started": return `${phase} started.`;
    case "phase.completed": return `${phase} completed${phaseDetail(event.phase, d)}.`;
    case "agent.started":
      return d.allocation !== undefined ? `${who} started with ${formatMoney(d.allocation)} allocated.` : `${who} started.`;
    case "agent.progress": return `${who}: ${d.message ?? "working"} (${d.percent ?? 0}%).`;
    case "agent.completed":
      if (d.committed !== undefined) return `${who} finished "${d.title ?? "deliverable"}", committing ${formatMoney(d.committed)}.`;
      if (d.tasks !== undefined) return `${who} finished: ${d.tasks} task(s), ${formatMoney(d.total)} estimated.`;
      if (d.findings !== undefined) return `${who} finished: ${d.findings} finding(s).`;
      if (d.characters !== undefined) return `${who} wrote the report.`;
      return `${who} finished.`;
    case "agent.failed": return `${who} failed: ${(d.error && d.error.message) || "unknown error"}.`;
    case "budget.updated": {
      const ai = d.ai || {};
      const aiText = ai.cap ? `; AI ${formatMoney(ai.used, 4)} of ${formatMoney(ai.cap)}` : ai.used !== undefined ? `; AI ${formatMoney(ai.used, 4)}` : "";
      if (d.committed !== undefined) return `Budget: ${formatMoney(d.committed)} committed of ${formatMoney(d.ceiling ?? d.budget)}, ${formatMoney(d.remaining)} remaining${aiText}.`;
      return ai.cap ? `AI spend: ${formatMoney(ai.used, 4)} of the ${formatMoney(ai.cap)} cap.` : `AI spend: ${formatMoney(ai.used, 4)}.`;
    }
    case "budget.threshold":
      return `${capitalise(d.scope || "run")} AI spend reached ${d.level}% of its cap (${formatMoney(d.used, 4)} of ${formatMoney(d.cap)}).`;
    case "approval.required":
      return `Approval required: the plan costs ${formatMoney(d.plan_total)} against a budget of ${formatMoney(d.budget)} (over by ${formatMoney(d.amount)}).`;
    case "approval.decided":
      return `Overrun ${d.decision === "approve" ? "approved" : "rejected"}${d.note ? `: “${d.note}”` : ""}.`;
    case "guardrail.violation":
      return `Guard rail ${d.rule ?? ""} stopped a line item of ${who || d.agent || "an agent"}: ${d.detail ?? ""}`.trim();
    default:
      return event.type;
  }
}

function phaseDetail(phase, d) {
  if (phase === "planning" && d.tasks !== undefined) return `: ${d.tasks} task(s), ${formatMoney(d.total)}`;
  if (phase === "budgeting" && d.allocated !== undefined) return `: ${formatMoney(d.allocated)} allocated`;
  if (phase === "approval" && d.decision) return `: ${d.decision === "approve" ? "approved" : "rejected"}`;
  if (phase === "execution" && d.committed !== undefined) return `: ${formatMoney(d.committed)} committed`;
  return "";
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
