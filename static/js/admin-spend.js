// Admin spend report: a bar chart of the figures in the table below it.
import { $ } from "./dom.js";
import { baseOptions, chartLib, moneyAxis, palette } from "./charts.js";
import { formatMoney, formatTime } from "./format.js";

const data = JSON.parse($("#spend-data").textContent);
const Chart = chartLib();
const canvas = $("#spend-chart");
if (Chart && canvas && data.labels.length) {
  const options = baseOptions();
  options.plugins.legend.display = false;
  options.scales = { y: moneyAxis(4) };
  options.plugins.tooltip = { callbacks: { label: (ctx) => formatMoney(ctx.parsed.y, 4) } };
  const labels = data.group_by === "day" ? data.labels.map((day) => formatTime(`${day}T12:00:00Z`, "date")) : data.labels;
  new Chart(canvas, {
    type: "bar",
    data: { labels, datasets: [{ label: "AI spend", data: data.values.map(Number), backgroundColor: palette().primary, borderRadius: 4 }] },
    options,
  });
}
