// Chart.js (loaded as a classic script before this module) with Catalyst's look.
import { formatMoney } from "./format.js";

const css = () => getComputedStyle(document.documentElement);

export function chartLib() {
  return window.Chart || null;
}

export function palette() {
  const style = css();
  return {
    primary: style.getPropertyValue("--primary").trim() || "#3346d3",
    primarySoft: style.getPropertyValue("--primary-soft").trim() || "rgba(51,70,211,.15)",
    danger: style.getPropertyValue("--danger").trim() || "#c2262e",
    muted: style.getPropertyValue("--muted").trim() || "#5b6270",
    grid: style.getPropertyValue("--border").trim() || "#dfe3ea",
  };
}

export function moneyAxis(decimals = 2) {
  return { beginAtZero: true, ticks: { callback: (value) => formatMoney(value, decimals) } };
}

export function baseOptions() {
  const colours = palette();
  const Chart = chartLib();
  if (Chart) {
    Chart.defaults.color = colours.muted;
    Chart.defaults.borderColor = colours.grid;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  }
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 300 },
    plugins: { legend: { display: true, position: "bottom", labels: { boxWidth: 12 } } },
  };
}
