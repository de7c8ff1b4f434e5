// The report page: the Print button, and the Gantt and spend charts drawn from #report-data.
// The figures come from the structured report as the server wrote them; nothing is recomputed here.
import { $ } from "./dom.js";
import { baseOptions, chartLib, moneyAxis, palette } from "./charts.js";
import { formatMoney } from "./format.js";

// Printed charts get a fixed size (the canvas would otherwise keep its on-screen width).
const PRINT_SIZE = { width: 640, barHeight: 22, minHeight: 180, spendRow: 44, spendMin: 200 };
const charts = [];

function wirePrint() {
  const button = $("#print-report");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

function readData() {
  const node = $("#report-data");
  if (!node) return null;
  try {
    return JSON.parse(node.textContent);
  } catch (error) {
    console.error("report data is not JSON", error);
    return null;
  }
}

function shorten(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function ganttHeight(count) {
  return Math.max(PRINT_SIZE.minHeight, count * PRINT_SIZE.barHeight + 70);
}

function drawGantt(Chart, data) {
  const canvas = $("#gantt-chart");
  const tasks = data.tasks || [];
  if (!canvas || !tasks.length) return;
  const colours = palette();
  // One row per task: the box grows with the task count (set through the CSSOM, CSP-safe).
  const box = $("#gantt-box");
  const height = ganttHeight(tasks.length);
  if (box) box.style.height = `${height}px`;
  const options = baseOptions();
  options.indexAxis = "y";
  options.plugins.legend.display = false;
  options.scales = {
    x: { min: 0, max: data.timeline_days, title: { display: true, text: "Day" }, ticks: { precision: 0 } },
    // Long titles are shortened on the axis; the tooltip and the schedule table have them whole.
    y: { ticks: { autoSkip: false, callback: (value) => shorten(tasks[value]?.label ?? "", window.innerWidth < 600 ? 20 : 34) } },
  };
  options.plugins.tooltip = {
    callbacks: {
      label: (ctx) => {
        const task = tasks[ctx.dataIndex];
        const extra = [task.agent, task.critical ? "critical path" : "", task.recurring ? "recurring" : ""];
        return [`Days ${task.start}–${task.end}`, ...extra.filter(Boolean)].join(" · ");
      },
    },
  };
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: tasks.map((task) => task.label),
      datasets: [{
        label: "Scheduled days",
        data: tasks.map((task) => [task.start, task.end]),
        backgroundColor: tasks.map((task) => (task.critical ? colours.danger : colours.primary)),
        borderRadius: 4,
        borderSkipped: false,
        minBarLength: 4,
      }],
    },
    options,
  });
  charts.push({ chart, height });
}

function drawSpend(Chart, data) {
  const canvas = $("#spend-chart");
  const rows = data.spend || [];
  if (!canvas || !rows.length) return;
  const colours = palette();
  // Horizontal bars: agent names sit on the y axis at any width instead of rotating into each other.
  const box = canvas.parentElement;
  const height = Math.max(PRINT_SIZE.spendMin, rows.length * PRINT_SIZE.spendRow + 70);
  if (box) box.style.height = `${height}px`;
  const options = baseOptions();
  options.indexAxis = "y";
  options.scales = {
    x: moneyAxis(0),
    y: {
      ticks: { autoSkip: false, callback: (value) => shorten(rows[value]?.title ?? "", window.innerWidth < 600 ? 16 : 28) },
    },
  };
  options.plugins.tooltip = {
    callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatMoney(ctx.raw)}` },
  };
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((row) => row.title),
      datasets: [
        { label: "Allocated", data: rows.map((row) => Number(row.allocated_usd)), backgroundColor: colours.primarySoft, borderColor: colours.primary, borderWidth: 1, borderRadius: 4 },
        { label: "Committed", data: rows.map((row) => Number(row.committed_usd)), backgroundColor: colours.primary, borderRadius: 4 },
      ],
    },
    options,
  });
  charts.push({ chart, height });
}

// Printing opens the schedule table (a closed <details> prints nothing) and fixes the chart sizes.
function wirePrintLayout() {
  const details = $(".schedule-details");
  let wasOpen = true;
  window.addEventListener("beforeprint", () => {
    if (details) {
      wasOpen = details.open;
      details.open = true;
    }
    for (const { chart, height } of charts) chart.resize(PRINT_SIZE.width, height);
  });
  window.addEventListener("afterprint", () => {
    if (details) details.open = wasOpen;
    for (const { chart } of charts) chart.resize();
  });
}

function ready() {
  wirePrint();
  const Chart = chartLib();
  const data = readData();
  if (Chart && data) {
    drawGantt(Chart, data);
    drawSpend(Chart, data);
  }
  wirePrintLayout();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
else ready();
