// Rendering the live run view from protocol events: timeline, agents, budget, AI meter.
import { $, $$, h, setText, clear } from "../dom.js";
import { formatDuration, formatMoney, formatPercent } from "../format.js";
import { PHASES } from "./describe.js";

const PHASE_STATE_TEXT = { pending: "pending", active: "in progress", done: "done", skipped: "not needed", stopped: "stopped" };

export class Timeline {
  constructor(root) {
    this.root = root;
    this.states = Object.fromEntries(PHASES.map((p) => [p, "pending"]));
  }

  set(phase, state) {
    if (!(phase in this.states)) return;
    this.states[phase] = state;
    const item = this.root.querySelector(`[data-phase="${phase}"]`);
    if (!item) return;
    item.className = `phase phase-${state}`;
    setText(item.querySelector(".phase-state"), PHASE_STATE_TEXT[state] || state);
    if (state === "active") item.setAttribute("aria-current", "step");
    else item.removeAttribute("aria-current");
  }

  started(phase) {
    // A phase that starts means every earlier phase is over; approval may never happen at all.
    const index = PHASES.indexOf(phase);
    for (const earlier of PHASES.slice(0, Math.max(index, 0))) {
      // Approval happens inside budgeting: budgeting stays open until it completes itself.
      if (phase === "approval" && earlier === "budgeting" && this.states.budgeting === "active") continue;
      if (this.states[earlier] === "pending") this.set(earlier, earlier === "approval" ? "skipped" : "done");
      if (this.states[earlier] === "active") this.set(earlier, "done");
    }
    this.set(phase, "active");
  }

  completed(phase) {
    this.set(phase, "done");
  }

  stopActive() {
    for (const [phase, state] of Object.entries(this.states)) if (state === "active") this.set(phase, "stopped");
  }

  finishAll() {
    for (const [phase, state] of Object.entries(this.states)) {
      if (state === "active") this.set(phase, "done");
      if (state === "pending") this.set(phase, phase === "approval" ? "skipped" : "done");
    }
  }
}

const AGENT_STATUS_TEXT = {
  waiting: "waiting", working: "working", done: "done", failed: "failed", unfunded: "not funded", stopped: "stopped",
};

// What the elapsed line of a card says: while working, once the agent finished, once the run stopped it.
const CLOCK_TEXT = { working: "working · ", took: "took ", paused: "paused · ", stopped: "stopped · " };
const TICK_MS = 1000;

/** An event's ts (ISO 8601, UTC, microseconds) in epoch ms; NaN when missing or malformed. */
function instant(ts) {
  return Date.parse(String(ts ?? "").replace(/(\.\d{3})\d+/, "$1"));
}

export class AgentCards {
  constructor(root, titles) {
    this.root = root;
    this.titles = titles;
    // agent -> {since (epoch ms of its start), running, label: Text, time: Text}
    this.clocks = new Map();
    this.ticker = null;
    this.serverLead = 0; // how far the server's clock is known to run ahead of this browser's
  }

  card(agent) {
    let card = this.root.querySelector(`[data-agent="${CSS.escape(agent)}"]`);
    if (!card) {
      const title = this.titles[agent] || agent;
      card = h("li", { class: "agent-card agent-waiting", dataset: { agent }, "aria-labelledby": `agent-title-${agent}` },
        h("div", { class: "agent-card-head" },
          h("h3", { class: "agent-name", id: `agent-title-${agent}` }, title),
          h("span", { class: "status status-waiting agent-status" }, "waiting")),
        h("progress", { class: "agent-progress", max: "100", value: "0", "aria-label": `${title} progress` }, "0%"),
        h("p", { class: "agent-elapsed small", "aria-live": "off" }),
        h("p", { class: "agent-message small" }, "Not started yet."),
        h("dl", { class: "agent-money small" },
          h("div", {}, h("dt", {}, "Allocated"), h("dd", { class: "agent-allocated" }, "—")),
          h("div", {}, h("dt", {}, "Committed"), h("dd", { class: "agent-committed" }, "—")),
          h("div", {}, h("dt", {}, "Tokens"), h("dd", { class: "agent-tokens" }, "—"))));
      this.root.append(card);
    }
    return card;
  }

  status(agent, state, message) {
    const card = this.card(agent);
    card.className = `agent-card agent-${state}`;
    const badge = card.querySelector(".agent-status");
    badge.className = `status status-${state} agent-status`;
    setText(badge, AGENT_STATUS_TEXT[state] || state);
    if (message !== undefined) setText(card.querySelector(".agent-message"), message);
  }

  progress(agent, percent) {
    const bar = this.card(agent).querySelector(".agent-progress");
    const value = Math.max(0, Math.min(100, Number(percent) || 0));
    bar.value = value;
    bar.textContent = `${value}%`;
  }

  money(agent, { allocated, committed, tokens } = {}) {
    const card = this.card(agent);
    if (allocated !== undefined) setText(card.querySelector(".agent-allocated"), formatMoney(allocated));
    if (committed !== undefined) setText(card.querySelector(".agent-committed"), formatMoney(committed));
    if (tokens !== undefined) setText(card.querySelector(".agent-tokens"), new Intl.NumberFormat().format(Number(tokens) || 0));
  }

  each(fn) {
    for (const card of $$(".agent-card", this.root)) fn(card.dataset.agent, card);
  }

  // --- elapsed time -------------------------------------------------------------------------------
  // Measured from the events' ts, never from when this page loaded: a watcher who joins late or
  // reloads gets the replay and sees the true time. Only a running clock reads this browser's clock.

  /** Every event: the server's clock read at least `ts` when it sent it (corrects a browser clock that is behind). */
  observe(ts) {
    const at = instant(ts);
    if (Number.isFinite(at)) this.serverLead = Math.max(this.serverLead, at - Date.now());
  }

  /** agent.started: the card's clock runs from the event's ts. */
  startClock(agent, ts) {
    const since = instant(ts);
    if (!Number.isFinite(since)) return;
    const clock = this.clock(agent);
    clock.since = since;
    clock.running = true;
    this.showClock(clock, "working", this.now() - since);
    this.tick();
  }

  /** agent.completed|failed: the final duration, from the agent's two events. */
  finishClock(agent, ts) {
    const clock = this.clocks.get(agent);
    if (!clock) return;
    this.freeze(clock, "took", ts);
  }

  /** run.paused|failed|cancelled|completed: running clocks stop at the event, claiming no completion. */
  haltClocks(ts, kind) {
    for (const clock of this.clocks.values()) if (clock.running) this.freeze(clock, kind, ts);
  }

  /** run.resumed: a node re-runs from its start, so an agent still working starts its clock again. */
  resumeClocks(ts) {
    for (const agent of this.clocks.keys()) {
      if (this.card(agent).classList.contains("agent-working")) this.startClock(agent, ts);
    }
  }

  clock(agent) {
    let clock = this.clocks.get(agent);
    if (!clock) {
      // Two text nodes built once: a tick rewrites only the time.
      const label = document.createTextNode("");
      const time = document.createTextNode("");
      clear(this.card(agent).querySelector(".agent-elapsed")).append(label, h("span", { class: "agent-elapsed-time" }, time));
      clock = { since: 0, running: false, label, time };
      this.clocks.set(agent, clock);
    }
    return clock;
  }

  freeze(clock, kind, ts) {
    const end = instant(ts);
    clock.running = false;
    this.showClock(clock, kind, (Number.isFinite(end) ? end : this.now()) - clock.since);
    this.tick();
  }

  showClock(clock, kind, ms) {
    const label = CLOCK_TEXT[kind] || `${kind} · `;
    if (clock.label.data !== label) clock.label.data = label;
    const time = formatDuration(ms);
    if (clock.time.data !== time) clock.time.data = time;
  }

  now() {
    return Date.now() + this.serverLead;
  }

  /** One shared interval for every card, running only while some clock runs. */
  tick() {
    const running = [...this.clocks.values()].filter((clock) => clock.running);
    if (!running.length) {
      clearInterval(this.ticker);
      this.ticker = null;
      return;
    }
    if (this.ticker === null) this.ticker = setInterval(() => this.tick(), TICK_MS);
    const now = this.now();
    for (const clock of running) this.showClock(clock, "working", now - clock.since);
  }
}

export class BudgetPanel {
  constructor(titles) {
    this.titles = titles;
    this.gauge = $("#budget-gauge");
    this.bars = $("#agent-bars");
  }

  update(data) {
    if (data.committed === undefined && data.allocated === undefined) return;
    const ceiling = Number(data.ceiling ?? data.budget) || 0;
    const allocated = Number(data.allocated) || 0;
    const committed = Number(data.committed) || 0;
    setText($("#budget-allocated"), formatMoney(data.allocated));
    setText($("#budget-committed"), formatMoney(data.committed));
    setText($("#budget-remaining"), formatMoney(data.remaining));
    const overrun = Number(data.ceiling) > Number(data.budget);
    setText($("#budget-ceiling"), overrun
      ? `Budget ${formatMoney(data.budget)}, ceiling ${formatMoney(data.ceiling)} after the approved overrun.`
      : `Budget ${formatMoney(data.budget ?? data.ceiling)}.`);
    widths(this.gauge, ceiling, committed, allocated);
    this.gauge.setAttribute("aria-label",
      `${formatMoney(committed)} committed and ${formatMoney(allocated)} allocated of ${formatMoney(ceiling)}`);
    this.renderAgents(data.by_agent || {});
  }

  awaitingDecision(data) {
    setText($("#agent-bars-empty"),
      `The plan costs ${formatMoney(data.plan_total)} against a budget of ${formatMoney(data.budget)}; the allocation follows the executive's decision.`);
  }

  renderAgents(byAgent) {
    const entries = Object.entries(byAgent);
    $("#agent-bars-empty").hidden = entries.length > 0;
    const max = Math.max(1, ...entries.map(([, v]) => Number(v.allocated) || 0));
    clear(this.bars);
    for (const [agent, v] of entries) {
      const gauge = h("div", { class: "gauge gauge-small", role: "img",
        "aria-label": `${formatMoney(v.committed)} committed of ${formatMoney(v.allocated)}` },
        h("span", { class: "gauge-committed" }), h("span", { class: "gauge-allocated" }));
      widths(gauge, max, Number(v.committed) || 0, Number(v.allocated) || 0);
      this.bars.append(h("li", { class: "agent-bar" },
        h("span", { class: "agent-bar-name" }, this.titles[agent] || agent),
        h("span", { class: "agent-bar-figures" }, `${formatMoney(v.committed)} / ${formatMoney(v.allocated)}`),
        gauge));
    }
  }
}

/** Gauge widths through the CSSOM (style attributes are forbidden by the CSP, CSSOM is not). */
function widths(gauge, total, committed, allocated) {
  const pct = (v) => `${total > 0 ? Math.min(100, (v / total) * 100) : 0}%`;
  gauge.querySelector(".gauge-committed").style.width = pct(committed);
  gauge.querySelector(".gauge-allocated").style.width = pct(Math.max(0, allocated - committed));
}

export class AiMeter {
  constructor(cap) {
    this.cap = Number(cap) || 0;
    this.used = 0;
    this.meter = $("#ai-meter");
  }

  update(used, cap) {
    if (cap !== undefined && cap !== null) this.cap = Number(cap) || 0;
    if (used !== undefined && used !== null) this.used = Number(used) || 0;
    setText($("#ai-used"), formatMoney(this.used, 4));
    // A cap of 0 is a cap: no AI spend at all (the meter is full, not empty).
    setText($("#ai-cap"), formatMoney(this.cap));
    const fraction = this.cap > 0 ? Math.min(1, this.used / this.cap) : 1;
    this.meter.value = fraction;
    this.meter.textContent = formatPercent(fraction);
    this.meter.setAttribute("aria-valuetext", `${formatPercent(fraction)} of the AI cap used`);
  }

  threshold(level, scope) {
    const item = $(`#thresholds [data-level="${Number(level)}"]`);
    if (!item) return;
    item.classList.add("threshold-reached");
    setText(item.querySelector(".threshold-state"), scope && scope !== "run" ? `reached (${scope})` : "reached");
  }
}
