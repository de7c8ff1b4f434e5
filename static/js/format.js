// Viewer-local formatting: times in the viewer's time zone, money with Intl.NumberFormat.
const moneyFormats = new Map();

export function formatMoney(value, decimals = 2) {
  const number = Number(value);
  if (value === null || value === undefined || value === "" || Number.isNaN(number)) return "—";
  if (!moneyFormats.has(decimals)) {
    moneyFormats.set(decimals, new Intl.NumberFormat(undefined, {
      style: "currency", currency: "USD", currencyDisplay: "narrowSymbol", minimumFractionDigits: decimals, maximumFractionDigits: decimals,
    }));
  }
  return moneyFormats.get(decimals).format(number);
}

const timeFormats = {
  datetime: new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }),
  date: new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }),
  day: new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" }),
  time: new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" }),
};

export function formatTime(iso, format = "datetime") {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return (timeFormats[format] || timeFormats.datetime).format(date);
}

export function formatPercent(fraction) {
  return new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 }).format(fraction);
}

/** A duration as a clock: "0:07", "12:05" under an hour, "1:02:09" from an hour on (floored to the second). */
export function formatDuration(ms) {
  const total = Math.floor(Math.max(0, Number(ms) || 0) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

export function timeZoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
}

/** Rewrites server-rendered <time datetime> and [data-money] elements for this viewer. */
export function localise(root = document) {
  for (const node of root.querySelectorAll("time[datetime]")) {
    const text = formatTime(node.getAttribute("datetime"), node.dataset.format);
    if (text) {
      node.textContent = text;
      node.title = `${node.getAttribute("datetime")} (shown in ${timeZoneName()})`;
    }
  }
  for (const node of root.querySelectorAll("[data-money]")) {
    node.textContent = formatMoney(node.dataset.money, Number(node.dataset.decimals || 2));
  }
}

/** "1 task", "3 tasks": count and noun, never "task(s)". */
export function plural(count, noun, pluralNoun = `${noun}s`) {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
