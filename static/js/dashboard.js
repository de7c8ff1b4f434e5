// Dashboard: the month's AI-spend chart and live status of active runs.
import { io } from "../vendor/socket.io.esm.min.js";
import { $, $$, h, setText } from "./dom.js";
import { baseOptions, chartLib, moneyAxis, palette } from "./charts.js";
import { formatMoney, formatTime } from "./format.js";
import { reasonText } from "./live/describe.js";

function drawSpend() {
  const data = JSON.parse($("#spend-data").textContent);
  const Chart = chartLib();
  const canvas = $("#spend-chart");
  if (!Chart || !canvas || !data.labels.length) return;
  const colours = palette();
  const options = baseOptions();
  options.scales = { y: moneyAxis(0), x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } } };
  options.plugins.tooltip = { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatMoney(ctx.parsed.y, 4)}` } };
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels.map((day) => formatTime(`${day}T12:00:00Z`, "day")),
      datasets: [
        { label: "Spent so far", data: data.cumulative.map(Number), borderColor: colours.primary,
          backgroundColor: colours.primarySoft, fill: true, tension: 0.25, pointRadius: 0 },
        // No line when an admin chose no monthly cap (a cap of 0 is drawn at 0).
        ...(data.cap === null ? [] : [{ label: "Monthly cap", data: data.labels.map(() => Number(data.cap)),
          borderColor: colours.danger, borderDash: [6, 4], pointRadius: 0, fill: false }]),
      ],
    },
    options,
  });
}

const STEP = {
  "run.started": "started", "run.resumed": "working", "run.completed": "finished", "run.failed": "failed",
  "run.cancelled": "cancelled",
};
const ACTIVE = new Set(["queued", "running", "paused"]);

// Active runs, live: the rows rendered with the page are watched; the organisation's room
// (joined on connect) announces runs started meanwhile, by anyone, as `run.summary`.
function watchActiveRuns() {
  const list = $("#active-runs");
  const indicator = $("#dash-connection");
  if (!list || !indicator) return;
  const empty = $("#active-empty");
  const rows = $$(".active-run", list);
  const lastSeq = new Map(rows.map((row) => [row.dataset.run, Number(row.dataset.seq) || 0]));
  const setConnection = (kind, text) => {
    indicator.hidden = false;
    indicator.className = `connection connection-${kind}`;
    setText(indicator.querySelector(".connection-text"), text);
  };
  const socket = io({ transports: ["websocket", "polling"] });
  function watch(runId) {
    socket.emit("watch", { run_id: runId, after_seq: lastSeq.get(runId) }, (ack) => {
      if (ack && ack.ok) {
        for (const event of ack.events || []) apply(event);
      } else if (ack && ack.error && ack.error.code === "rate_limited") {
        // Busy (many runs, several tabs): try this one again a little later.
        const seconds = Math.min(30, Math.max(1, Number(ack.error.retry_after) || 2));
        setTimeout(() => { if (socket.connected) watch(runId); }, seconds * 1000);
      }
    });
  }
  socket.on("connect", () => {
    setConnection("live", "Live");
    for (const runId of lastSeq.keys()) watch(runId);
  });
  socket.on("disconnect", () => setConnection("reconnecting", "Reconnecting…"));
  socket.on("connect_error", () => setConnection(socket.active ? "reconnecting" : "offline", socket.active ? "Reconnecting…" : "Offline"));
  socket.on("event", apply);
  socket.on("run.summary", summary);

  function rowOf(runId) {
    return $(`.active-run[data-run="${CSS.escape(runId)}"]`, list);
  }

  function setStatus(row, status, stepText) {
    const badge = row.querySelector(".run-status");
    badge.className = `status status-${status} run-status`;
    setText(badge, status);
    if (stepText) setText(row.querySelector(".run-step"), stepText);
  }

  function newRow(s) {
    const href = list.dataset.runUrl.replace("RUN_ID", encodeURIComponent(s.run_id));
    const started = s.created_at ? formatTime(s.created_at) : "just now";
    const hasBudget = s.budget_usd !== null && s.budget_usd !== undefined;
    const budget = hasBudget ? ` · budget ${formatMoney(s.budget_usd, 2)}` : "";
    return h("li", { class: "active-run", dataset: { run: s.run_id, seq: 0 } },
      h("div", { class: "active-run-main" },
        h("a", { href, class: "run-link" }, s.company || "Untitled run"),
        h("span", { class: "cell-sub" }, `Started ${started}`),
        h("span", { class: "cell-sub run-creator" }, `by ${s.created_by || "a colleague"}${budget}`)),
      h("div", { class: "active-run-side" },
        h("span", { class: `status status-${s.status} run-status` }, s.status),
        h("span", { class: "run-step small muted" }, "")));
  }

  function summary(s) {
    if (!s || typeof s.run_id !== "string" || typeof s.status !== "string") return;
    const stepText = s.status === "paused" ? reasonText(s.reason)
      : s.status === "queued" ? "waiting for a free slot"
        : s.status === "running" ? "working" : STEP[`run.${s.status}`] || s.status;
    let row = rowOf(s.run_id);
    if (!row) {
      if (!ACTIVE.has(s.status)) return;
      row = newRow(s);
      list.prepend(row);
      list.hidden = false;
      if (empty) empty.hidden = true;
      lastSeq.set(s.run_id, 0);
      if (socket.connected) watch(s.run_id);
    }
    setStatus(row, s.status, stepText);
  }

  function apply(event) {
    if (!event || !lastSeq.has(event.run_id) || event.seq <= lastSeq.get(event.run_id)) return;
    lastSeq.set(event.run_id, event.seq);
    const row = rowOf(event.run_id);
    if (!row) return;
    const step = row.querySelector(".run-step");
    const status = event.type === "run.paused" ? "paused" : event.type === "run.completed" ? "completed"
      : event.type === "run.failed" ? "failed" : event.type === "run.cancelled" ? "cancelled" : "running";
    setStatus(row, status);
    if (event.type === "run.paused") setText(step, reasonText(event.data && event.data.reason));
    else if (STEP[event.type]) setText(step, STEP[event.type]);
    else if (event.type === "phase.started") setText(step, `${event.phase} phase`);
    else if (event.type === "agent.progress" && event.data) setText(step, `${event.agent}: ${event.data.percent}%`);
  }
}

drawSpend();
watchActiveRuns();
