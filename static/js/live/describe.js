// One human sentence per protocol event, for the event log. Plain text only (rendered as textContent).
import { formatMoney, plural } from "../format.js";
import { expiredText } from "./deadline.js";

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
  quote: "waiting for an executive to accept the quote",
  ai_budget_exhausted: "the AI-spend cap was reached; an admin has to raise it",
};

export function reasonText(reason) {
  return REASONS[reason] || String(reason || "paused");
}

/** What an agent card says when the agent finishes. */
export function agentOutcome(d) {
  if (d.title) return `Delivered: ${d.title}`;
  if (d.tasks !== undefined) return `Planned ${plural(d.tasks, "task")}, ${formatMoney(d.total)} estimated.`;
  if (d.findings !== undefined) return `Reviewed: ${plural(d.findings, "finding")}.`;
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
      return `Run started for ${d.company ?? "the company"}: budget ${formatMoney(d.budget)} over ${d.timeline_days ?? "?"} days, ${plural(agents, "specialist")}.`;
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
      if (d.tasks !== undefined) return `${who} finished: ${plural(d.tasks, "task")}, ${formatMoney(d.total)} estimated.`;
      if (d.findings !== undefined) return `${who} finished: ${plural(d.findings, "finding")}.`;
      if (d.characters !== undefined) return `${who} wrote the report.`;
      return `${who} finished.`;
    case "agent.failed": return `${who} failed: ${(d.error && d.error.message) || "unknown error"}.`;
    case "budget.updated": {
      const ai = d.ai || {};
      const hasCap = ai.cap !== undefined && ai.cap !== null;
      const aiText = hasCap ? `; AI ${formatMoney(ai.used, 4)} of ${formatMoney(ai.cap)}` : ai.used !== undefined ? `; AI ${formatMoney(ai.used, 4)}` : "";
      if (d.committed !== undefined) return `Budget: ${formatMoney(d.committed)} committed of ${formatMoney(d.ceiling ?? d.budget)}, ${formatMoney(d.remaining)} remaining${aiText}.`;
      return hasCap ? `AI spend: ${formatMoney(ai.used, 4)} of the ${formatMoney(ai.cap)} cap.` : `AI spend: ${formatMoney(ai.used, 4)}.`;
    }
    case "budget.threshold":
      return `${capitalise(d.scope || "run")} AI spend reached ${d.level}% of its cap (${formatMoney(d.used, 4)} of ${formatMoney(d.cap)}).`;
    case "approval.required":
      if (d.reason === "quote") {
        const forecast = d.quote && d.quote.forecast;
        const range = forecast && forecast.priced && !forecast.offline
          ? `; AI spend forecast ${formatMoney(forecast.low_usd, 4)} to ${formatMoney(forecast.high_usd, 4)}` : "";
        return `Quote ready: the plan costs ${formatMoney(d.plan_total)} within a budget of ${formatMoney(d.budget)}${range}.`;
      }
      return `Approval required: the plan costs ${formatMoney(d.plan_total)} against a budget of ${formatMoney(d.budget)} (over by ${formatMoney(d.amount)}).`;
    case "approval.decided": return decidedText(d);
    case "approval.expired": return expiredText(d);
    case "guardrail.violation":
      return `Guard rail ${d.rule ?? ""} stopped a line item of ${who || d.agent || "an agent"}: ${d.detail ?? ""}`.trim();
    default:
      return event.type;
  }
}

const DECIDED = { approve: "approved", reject: "rejected", edit: "edited plan approved" };

function decidedText(d) {
  const cut = Array.isArray(d.cut) ? d.cut : [];
  const titles = Array.isArray(d.cut_titles) ? d.cut_titles : [];
  const names = cut.map((id, i) => `“${titles[i] || id}”`).join(", ");
  const quote = d.reason === "quote";
  const head = d.decision === "edit"
    ? `Edited plan ${quote ? "accepted" : "approved"}: ${plural(cut.length, "task")} cut (${names})`
    : quote ? `Quote ${{ approve: "accepted", reject: "rejected: nothing runs" }[d.decision] || "decided"}`
    : `Overrun ${DECIDED[d.decision] || "decided"}${cut.length ? `, ${plural(cut.length, "task")} cut (${names})` : ""}`;
  const money = d.funded_usd !== undefined
    ? `; ${formatMoney(d.funded_usd)} funded, ceiling ${formatMoney(d.ceiling_usd)}` : "";
  return `${head}${money}.${d.note ? ` Note: “${d.note}”` : ""}`;
}

const CUT_REASONS = {
  agent_cap: "it did not fit under the agent's share cap",
  over_budget: "the plan cost more than the budget",
  rejected: "the executive rejected the overrun",
  edited: "the executive cut it",
  cut: "the executive cut it",
};

const SCREENING = { refused: "was refused", unclear: "is unclear" };

function screened(d) {
  return (Array.isArray(d.objectives) ? d.objectives : []).filter((o) => o && o.status in SCREENING);
}

/** Safe links only: http(s) URLs; anything else is shown as text. */
function webLink(url) {
  try {
    const parsed = new URL(String(url), window.location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * Extra lines under an event in the log: [{text, link?: {href, label}}], plain text only.
 * Intake's refused or unclear objectives (with the rule and its source), budgeting's cut tasks.
 */
export function describeDetails(event) {
  const d = event.data || {};
  if (event.type !== "phase.completed") return [];
  if (event.phase === "intake") {
    return screened(d).map((o) => {
      const kind = o.kind_label ? ` (${o.kind_label})` : "";
      const reason = o.reason ? `: ${o.reason}` : "";
      const text = `Objective ${o.index ?? "?"} “${o.text ?? ""}”${kind} ${SCREENING[o.status]}${reason}.`;
      const href = o.source_url ? webLink(o.source_url) : null;
      const rule = o.rule ? String(o.rule) : "";
      if (href) return { text: `${text} Rule: `, link: { href, label: rule || "source" } };
      return { text: rule ? `${text} Rule: ${rule}.` : text };
    });
  }
  if (event.phase === "budgeting" && Array.isArray(d.cut)) {
    return d.cut.filter((t) => t && typeof t === "object").map((t) => {
      const cost = t.cost_usd !== undefined ? `, ${formatMoney(t.cost_usd)}` : "";
      const why = CUT_REASONS[t.reason] || (t.reason ? String(t.reason) : "it did not fit");
      return { text: `Cut “${t.title || t.id}” (${t.id}${cost}) because ${why}.` };
    });
  }
  return [];
}

function phaseDetail(phase, d) {
  if (phase === "intake" && Array.isArray(d.objectives)) {
    const count = (status) => d.objectives.filter((o) => o && o.status === status).length;
    const parts = [`${plural(count("ok"), "objective")} accepted`];
    if (count("refused")) parts.push(`${count("refused")} refused`);
    if (count("unclear")) parts.push(`${count("unclear")} unclear`);
    return `: ${parts.join(", ")}`;
  }
  if (phase === "planning" && d.tasks !== undefined) return `: ${plural(d.tasks, "task")}, ${formatMoney(d.total)}`;
  if (phase === "budgeting" && d.allocated !== undefined) {
    const cut = Array.isArray(d.cut) ? d.cut.filter((t) => t && typeof t === "object") : [];
    const dropped = !cut.length && Array.isArray(d.dropped) ? d.dropped : [];
    const names = cut.map((t) => `“${t.title || t.id}”`).join(", ");
    if (cut.length) return `: ${formatMoney(d.allocated)} allocated; ${plural(cut.length, "task")} cut (${names})`;
    if (dropped.length) return `: ${formatMoney(d.allocated)} allocated; dropped ${dropped.join(", ")}`;
    return `: ${formatMoney(d.allocated)} allocated`;
  }
  if (phase === "approval" && d.decision) return `: ${DECIDED[d.decision] || d.decision}`;
  if (phase === "execution" && d.committed !== undefined) return `: ${formatMoney(d.committed)} committed`;
  return "";
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
