// The quote on the decision panel: the business budget by agent and objective, and the AI-spend
// forecast of each option against the run's and the organisation's caps. Figures come from the
// pause payload; an edited plan's forecast only drops the calls of specialists left with no task.
import { $, clear, h, setText } from "../dom.js";
import { formatMoney, plural } from "../format.js";

const SPECIALIST_CALLS = new Set(["branding", "legal", "webdev", "martech", "content", "campaigns"]);

/** Four decimals: AI spend is small, and the live page shows it so everywhere. */
export function ai(value) {
  return formatMoney(value, 4);
}

/** The forecast of funding every task but `cut`: the quoted calls less those of emptied specialists. */
export function editedForecast(forecast, tasks, cut) {
  if (!forecast || !Array.isArray(forecast.calls)) return null;
  const left = new Set(tasks.filter((t) => !cut.has(t.id)).map((t) => t.agentName));
  const calls = forecast.calls.filter((c) => !SPECIALIST_CALLS.has(c.agent) || left.has(c.agent));
  const sum = (key) => calls.reduce((total, c) => total + Number(c[key] || 0), 0);
  return { ...forecast, calls, low_usd: sum("low_usd").toFixed(6), high_usd: sum("high_usd").toFixed(6), edited: true };
}

/** "$0.0123 to $0.0456", or what stands in for a price nobody set. */
export function rangeText(forecast) {
  if (!forecast) return "not available";
  if (forecast.offline) return `${ai(0)} (the offline provider costs nothing)`;
  if (!forecast.priced) return `price not set for ${forecast.model || "the model"} (${Number(forecast.tokens_low || 0).toLocaleString()} to ${Number(forecast.tokens_high || 0).toLocaleString()} tokens)`;
  return `${ai(forecast.low_usd)} to ${ai(forecast.high_usd)}`;
}

function capText(label, used, cap, left, high, priced) {
  if (cap === null || cap === undefined) return `${label}: no cap.`;
  const fits = priced ? (Number(high) <= Number(left) ? "the forecast fits" : "the forecast's high end would pass it") : "";
  return `${label}: ${ai(left)} left of ${formatMoney(cap)} (${ai(used)} used)${fits ? `; ${fits}` : ""}.`;
}

export class QuoteView {
  constructor() {
    this.box = $("#quote-box");
  }

  /** Show `pause.quote` (or hide the box for pauses that carry none). */
  fill(pause, plan, cut) {
    if (!this.box) return;
    const quote = pause && pause.quote;
    this.box.hidden = !quote;
    this.quote = quote || null;
    if (!quote) return;
    this.tasks = plan.tasks.map((t) => ({ id: t.id, agentName: t.agentName }));
    this.renderBudget();
    this.renderForecast(cut || new Set());
  }

  renderBudget() {
    const agents = clear($("#quote-by-agent"));
    for (const row of Array.isArray(this.quote.by_agent) ? this.quote.by_agent : []) {
      agents.append(h("tr", { dataset: { agent: row.agent } },
        h("th", { scope: "row" }, String(row.agent_title || row.agent)),
        h("td", { class: "num", dataset: { label: "Tasks" } }, String(row.tasks ?? "—")),
        h("td", { class: "num", dataset: { label: "Planned" } }, formatMoney(row.planned_usd)),
        h("td", { class: "num", dataset: { label: "Share cap" } }, formatMoney(row.cap_usd))));
    }
    const objectives = clear($("#quote-by-objective"));
    for (const row of Array.isArray(this.quote.by_objective) ? this.quote.by_objective : []) {
      objectives.append(h("tr", { dataset: { objective: String(row.index) } },
        h("th", { scope: "row" }, String(row.text || `Objective ${row.index}`)),
        h("td", { class: "num", dataset: { label: "Tasks" } }, String((row.tasks || []).length)),
        h("td", { class: "num", dataset: { label: "Planned" } }, formatMoney(row.planned_usd))));
    }
    setText($("#quote-plan-total"), `${formatMoney(this.quote.plan_total_usd)} planned against a budget of ${formatMoney(this.quote.budget_usd)}.`);
  }

  /** The forecast range of each option, and the caps; `cut` adds the edited plan's estimate. */
  renderForecast(cut) {
    if (!this.quote || !this.box) return;
    const planned = this.quote.forecast;
    const options = this.quote.forecast_options || {};
    setText($("#quote-forecast"), `AI spend for the rest of the run: ${rangeText(planned)}, over ${plural((planned && planned.calls || []).length, "model call")}.`);
    const list = clear($("#quote-forecast-options"));
    const rows = [["approve", "As planned", planned], ["reject", "If rejected", options.reject]];
    if (cut.size) rows.push(["edit", `Edited plan (cut ${plural(cut.size, "task")}), about`, editedForecast(planned, this.tasks, cut)]);
    for (const [kind, label, forecast] of rows) {
      if (forecast) list.append(h("li", { dataset: { forecast: kind } }, `${label}: ${rangeText(forecast)}`));
    }
    const caps = clear($("#quote-caps"));
    if (planned) {
      caps.append(h("li", { dataset: { cap: "run" } }, capText("This run's AI cap", planned.run_used_usd, planned.run_cap_usd, planned.run_left_usd, planned.high_usd, planned.priced && !planned.offline)));
      caps.append(h("li", { dataset: { cap: "org" } }, capText(`The organisation's month${planned.month ? ` (${planned.month})` : ""}`, planned.org_used_usd, planned.org_cap_usd, planned.org_left_usd, planned.high_usd, planned.priced && !planned.offline)));
    }
    setText($("#quote-forecast-basis"), planned && planned.priced && !planned.offline
      ? `Priced at ${planned.model}. Low: each call once, its prompt at a typical 4 bytes per token, the shortest answer. High: what the AI-spend ledger reserves before each call (every answer at its limit, one repair).`
      : "");
  }
}
