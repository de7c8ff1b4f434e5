// The live run view: watches the run and keeps every panel in step with its events.
import { api } from "../api.js";
import { $, setText } from "../dom.js";
import { formatMoney } from "../format.js";
import { ApprovalPanel, DECISION_REASONS, showDecision } from "./approval.js";
import { DeadlineNotice } from "./deadline.js";
import { agentOutcome, reasonText } from "./describe.js";
import { EventLog } from "./log.js";
import { AgentCards, AiMeter, BudgetPanel, Timeline } from "./panels.js";
import { RunStream } from "./stream.js";

const data = JSON.parse($("#run-data").textContent);
const titles = data.titles || {};
const FINISHED = new Set(["completed", "failed", "cancelled"]);

let stream = null;
// approvalPayload: the latest approval request, kept after the resume to name the cut tasks.
const state = { status: data.status, pause: null, approvalPending: false, decisionSent: false, approvalPayload: null };
const timeline = new Timeline($("#timeline"));
const agents = new AgentCards($("#agent-cards"), titles);
const budget = new BudgetPanel(titles);
const ai = new AiMeter(data.ai_cap);
const log = new EventLog(titles);
const approval = $("#approval-panel") ? new ApprovalPanel(titles) : null;
const deadline = new DeadlineNotice($("#decision-deadline"));
ai.update(0, data.ai_cap);

const CONNECTION_TEXT = {
  connecting: "Connecting…", "catching-up": "Catching up…", live: "Live", reconnecting: "Reconnecting…",
  retrying: "Retrying…", offline: "Offline",
};

function setConnection(kind, message) {
  const node = $("#connection");
  node.className = `connection connection-${kind}`;
  setText(node.querySelector(".connection-text"), CONNECTION_TEXT[kind] || kind);
  node.title = message || "";
  if (kind === "offline" && message) setText($("#action-message"), message);
  if (kind === "live") log.empty("No events yet: the run is waiting to start.");
}

function setWatchers(count) {
  setText($("#watchers-count"), count);
  setText($("#watchers-label"), "watching");
}

function setStatus(status, reason) {
  state.status = status;
  const badge = $("#run-status");
  badge.className = `status status-${status}`;
  setText(badge, reason && status === "paused" ? `paused: ${reasonText(reason)}` : status);
  if (FINISHED.has(status)) {
    const cancel = $("#cancel-box");
    if (cancel) cancel.hidden = true;
    if (stream && stream.watching) say("");
  }
  $("#report-link").hidden = status !== "completed";
  renderPause();
}

function renderPause() {
  const pause = state.status === "paused" ? state.pause : null;
  const needsApproval = Boolean(pause && DECISION_REASONS.has(pause.reason) && state.approvalPending);
  const panel = $("#approval-panel");
  if (panel) {
    panel.hidden = !needsApproval;
    if (needsApproval) fillApproval(pause);
  }
  const waiting = $("#approval-waiting");
  if (waiting) waiting.hidden = !needsApproval;
  const exhausted = $("#ai-exhausted");
  const aiPaused = Boolean(pause && pause.reason === "ai_budget_exhausted");
  exhausted.hidden = !aiPaused;
  if (aiPaused) {
    setText($("#ai-exhausted-text"),
      `The run is paused: ${pause.scope === "org" ? "the organisation's monthly" : "this run's"} AI spend reached its cap (${formatMoney(pause.used, 4)} of ${formatMoney(pause.cap)}).`);
  }
}

function fillApproval(pause) {
  if (approval) approval.fill(pause, state.decisionSent);
}

function onEvent(event) {
  log.add(event);
  agents.observe(event.ts);
  const d = event.data || {};
  switch (event.type) {
    case "run.started": setStatus("running"); break;
    case "run.resumed": state.pause = null; deadline.hide(); setStatus("running"); agents.resumeClocks(event.ts); break;
    case "run.paused":
      state.pause = d;
      deadline.show(d.decision_deadline);
      if (DECISION_REASONS.has(d.reason)) {
        state.approvalPending = true;
        state.approvalPayload = d;
      }
      setStatus("paused", d.reason);
      agents.haltClocks(event.ts, "paused");
      break;
    case "run.completed": timeline.finishAll(); setStatus("completed"); markAgentsFinished("done", event.ts); break;
    case "run.failed": timeline.stopActive(); setStatus("failed"); markAgentsFinished("stopped", event.ts); break;
    case "run.cancelled": deadline.hide(); timeline.stopActive(); setStatus("cancelled"); markAgentsFinished("stopped", event.ts); break;
    case "phase.started":
      timeline.started(event.phase);
      if (event.phase === "execution" && Array.isArray(d.agents)) fundedAgents(d.agents);
      break;
    case "phase.completed": timeline.completed(event.phase); break;
    case "agent.started":
      agents.status(event.agent, "working", "Started.");
      agents.progress(event.agent, 5);
      agents.startClock(event.agent, event.ts);
      if (d.allocation !== undefined) agents.money(event.agent, { allocated: d.allocation });
      break;
    case "agent.progress":
      agents.status(event.agent, "working", d.message || "Working…");
      agents.progress(event.agent, d.percent);
      if (d.tokens !== undefined) agents.money(event.agent, { tokens: d.tokens });
      break;
    case "agent.completed":
      agents.status(event.agent, "done", agentOutcome(d));
      agents.progress(event.agent, 100);
      agents.finishClock(event.agent, event.ts);
      agents.money(event.agent, { allocated: d.allocation, committed: d.committed, tokens: d.tokens });
      break;
    case "agent.failed":
      agents.status(event.agent, "failed", (d.error && d.error.message) || "Failed.");
      agents.finishClock(event.agent, event.ts);
      break;
    case "budget.updated":
      budget.update(d);
      for (const [agent, v] of Object.entries(d.by_agent || {})) agents.money(agent, { allocated: v.allocated, committed: v.committed });
      if (d.ai) ai.update(d.ai.used, d.ai.cap);
      break;
    case "budget.threshold": ai.threshold(d.level, d.scope); break;
    case "approval.required":
      state.approvalPending = true;
      state.decisionSent = false;
      state.approvalPayload = d;
      budget.awaitingDecision(d);
      renderPause();
      break;
    case "approval.expired": // the deadline's fallback decided: nobody else can any more
      deadline.passed(d);
      state.approvalPending = false;
      renderPause();
      break;
    case "approval.decided":
      deadline.hide();
      state.approvalPending = false;
      showDecision(d, state.approvalPayload, titles);
      renderPause();
      break;
    default: break;
  }
}

function fundedAgents(funded) {
  const set = new Set(funded);
  agents.each((agent, card) => {
    if (["cfo", "reviewer", "reporter"].includes(agent)) return;
    if (!set.has(agent) && card.classList.contains("agent-waiting")) agents.status(agent, "unfunded", "No tasks funded for this agent.");
  });
}

function markAgentsFinished(kind, ts) {
  agents.haltClocks(ts, "stopped");
  agents.each((agent, card) => {
    if (card.classList.contains("agent-working")) agents.status(agent, kind);
  });
}

// --- actions -------------------------------------------------------------------------------------
const runUrl = `/api/runs/${encodeURIComponent(data.run_id)}`;

function say(text) {
  setText($("#action-message"), text);
}

const approvalForm = $("#approval-form");
if (approvalForm) {
  approvalForm.addEventListener("submit", async (submit) => {
    submit.preventDefault();
    const chosen = submit.submitter ? submit.submitter.value : "approve";
    const decision = ["approve", "reject", "edit"].includes(chosen) ? chosen : "approve";
    const cut = decision === "edit" && approval ? approval.selectedCut() : [];
    const error = $("#approval-error");
    setText(error, "");
    state.decisionSent = true;
    if (approval) approval.lock(true);
    try {
      const body = { decision, note: $("#approval-note").value.trim() };
      if (decision === "edit") body.cut = cut;
      await api(`${runUrl}/approve`, { method: "POST", body });
      const quote = Boolean(state.approvalPayload && state.approvalPayload.reason === "quote");
      say((quote ? {
        approve: "Quote accepted. The run continues.",
        reject: "Quote rejected. Nothing runs; the report says so.",
        edit: `Edited plan accepted with ${cut.length} task${cut.length === 1 ? "" : "s"} cut. The run continues.`,
      } : {
        approve: "Overrun approved. The run continues.",
        reject: "Overrun rejected. The plan is trimmed to the budget.",
        edit: `Edited plan approved with ${cut.length} task${cut.length === 1 ? "" : "s"} cut. The run continues.`,
      })[decision]);
    } catch (failure) {
      state.decisionSent = false;
      if (approval) approval.lock(false);
      setText(error, failure.message);
      // The panel closes when the fallback's event arrives: say why where it stays visible.
      if (failure.code === "decision_deadline_passed") say(failure.message);
    }
  });
}

const cancelStart = $("#cancel-start");
if (cancelStart) {
  const confirmBox = $("#cancel-confirm");
  cancelStart.addEventListener("click", () => {
    cancelStart.hidden = true;
    confirmBox.hidden = false;
    $("#cancel-no").focus();
  });
  $("#cancel-no").addEventListener("click", () => {
    confirmBox.hidden = true;
    cancelStart.hidden = false;
    cancelStart.focus();
  });
  $("#cancel-yes").addEventListener("click", async () => {
    $("#cancel-yes").disabled = true;
    try {
      await api(`${runUrl}/cancel`, { method: "POST", body: {} });
      say("Cancelling… the run stops at the next step.");
      confirmBox.hidden = true;
    } catch (failure) {
      say(`Could not cancel: ${failure.message}`);
      $("#cancel-yes").disabled = false;
    }
  });
}

const raiseForm = $("#raise-cap-form");
if (raiseForm) {
  raiseForm.addEventListener("submit", async (submit) => {
    submit.preventDefault();
    const error = $("#raise-cap-error");
    setText(error, "");
    const value = $("#raise-cap").value.trim();
    if (!value || Number(value) <= 0) {
      setText(error, "Enter a cap above zero.");
      return;
    }
    try {
      await api(runUrl, { method: "PATCH", body: { ai_cap_usd: value } });
      await api(`${runUrl}/resume`, { method: "POST", body: {} });
      ai.update(undefined, value);
      say("Cap raised. The run resumes.");
    } catch (failure) {
      setText(error, failure.message);
    }
  });
}

// --- start ---------------------------------------------------------------------------------------
if (data.pause_reason) state.pause = { reason: data.pause_reason, ...(data.pause_payload || {}) };
if (DECISION_REASONS.has(data.pause_reason)) {
  state.approvalPending = true;
  state.approvalPayload = state.pause;
}
setStatus(data.status, data.pause_reason);
stream = new RunStream(data.run_id, {
  onEvent,
  onState: setConnection,
  onWatchers: setWatchers,
  onError: (error) => say(error.message || "The live stream is not available."),
});
stream.start();
