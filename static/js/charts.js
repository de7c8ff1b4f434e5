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

// Chart.js refits a responsive chart when a ResizeObserver reports its box. Twice in clean test
// runs (a headless browser on two busy cores) a chart kept its desktop width after the window
// went to phone width, for 30 s, and the page scrolled sideways. Refitting on the window's own
// resize event, off the animation frame, catches a report that was missed: any chart whose
// canvas no longer matches its box is resized at once (its running animation stopped first,
// else Chart.js defers the resize to a draw that may not come soon).
let refit = 0;
window.addEventListener("resize", () => {
  window.clearTimeout(refit);
  refit = window.setTimeout(() => {
    for (const chart of Object.values(chartLib()?.instances || {})) {
      const box = chart.canvas?.parentElement;
      if (box && Math.abs(box.clientWidth - chart.width) > 1) {
        chart.stop();
        chart.resize();
      }
    }
  }, 150);
});
