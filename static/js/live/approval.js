// The decision after budgeting (an overrun, or a quote under the policy "always"): the paused plan's
// tasks by name, what approving, rejecting or an edit funds, its quote, and what was decided. The
// edit preview only re-adds the payload's own figures; the server validates.
import { $, $$, clear, h, setText } from "../dom.js";
import { formatMoney, plural } from "../format.js";
import { QuoteView, rangeText } from "./quote.js";

/** Pauses the panel answers: a plan that would be cut, and a quote that fits. */
export const DECISION_REASONS = new Set(["approval_required", "quote"]);

/** Whole cents of a decimal string (the payload's money), so sums do not drift. */
export function toCents(value) {
  const number = Number(value);
  return Number.isFinite(number) ? Math.round(number * 100) : 0;
}

function fromCents(cents) {
  return (cents / 100).toFixed(2);
}

/** The plan as the panel needs it; old payloads (ids only, no tasks) give an empty task list. */
export function planOf(pause, titles = {}) {
  const tasks = (Array.isArray(pause.tasks) ? pause.tasks : []).filter((t) => t && typeof t.id === "string");
  const objectives = Array.isArray(pause.objectives) ? pause.objectives.filter((o) => o && o.index !== undefined) : [];
  const objectiveText = new Map(objectives.map((o) => [Number(o.index), String(o.text ?? `Objective ${o.index}`)]));
  const byId = new Map();
  for (const task of tasks) {
    const indexes = (Array.isArray(task.objective_indexes) ? task.objective_indexes : []).map(Number);
    const texts = Array.isArray(task.objectives) && task.objectives.length
      ? task.objectives.map(String)
      : indexes.map((i) => objectiveText.get(i) || `Objective ${i}`);
    byId.set(task.id, {
      id: task.id,
      title: String(task.title || task.id),
      agent: String(task.agent_title || titles[task.agent] || task.agent || "—"),
      agentName: String(task.agent || ""),
      priority: task.priority ?? "—",
      cents: toCents(task.cost_usd),
      indexes,
      objectives: texts,
      dependsOn: Array.isArray(task.depends_on) ? task.depends_on.map(String) : [],
      cutOnReject: Boolean(task.cut_on_reject),
      overCap: Boolean(task.over_agent_cap),
    });
  }
  for (const task of byId.values()) {
    for (const index of task.indexes) if (!objectiveText.has(index)) objectiveText.set(index, task.objectives[0] || `Objective ${index}`);
  }
  return { tasks: [...byId.values()], byId, objectiveText };
}

/** What funding every task except `cut` costs and leaves out (the edited plan's preview). */
export function editedPlan(pause, plan, cut) {
  const approve = (pause.options && pause.options.approve) || {};
  const base = approve.funded_usd !== undefined ? toCents(approve.funded_usd)
    : pause.plan_total !== undefined ? toCents(pause.plan_total)
      : plan.tasks.reduce((sum, t) => sum + t.cents, 0);
  const cutCents = plan.tasks.filter((t) => cut.has(t.id)).reduce((sum, t) => sum + t.cents, 0);
  const budget = toCents(pause.budget);
  const funded = base - cutCents;
  // Objectives that had tasks and lose every one of them, on top of those approving leaves out anyway.
  const planned = new Set(plan.tasks.flatMap((t) => t.indexes));
  const kept = new Set(plan.tasks.filter((t) => !cut.has(t.id)).flatMap((t) => t.indexes));
  const lost = [...planned].filter((i) => !kept.has(i));
  const already = Array.isArray(approve.uncovered_objectives) ? approve.uncovered_objectives.map(Number) : [];
  const dependencies = [];
  for (const task of plan.tasks) {
    if (cut.has(task.id)) continue;
    const lost = task.dependsOn.filter((id) => cut.has(id));
    if (lost.length) dependencies.push({ task, lost: lost.map((id) => taskName(plan, id)) });
  }
  return {
    funded_usd: fromCents(funded),
    ceiling_usd: fromCents(Math.max(budget, funded)),
    overrun_usd: fromCents(Math.max(0, funded - budget)),
    cut: plan.tasks.filter((t) => cut.has(t.id)).map((t) => t.id),
    uncovered_objectives: [...new Set([...already, ...lost])].sort((a, b) => a - b),
    lost_objectives: lost.sort((a, b) => a - b),
    dependencies,
    everything: plan.tasks.length > 0 && plan.tasks.every((t) => cut.has(t.id)),
  };
}

export function taskName(plan, id) {
  const task = plan.byId.get(id);
  return task ? task.title : String(id);
}

function objectiveName(plan, index) {
  return plan.objectiveText.get(Number(index)) || `Objective ${index}`;
}

/** "Cuts no task.", "Cuts all 20 tasks.", or the names when only some go. */
function cutSentence(plan, cut) {
  if (!cut.length) return "Cuts no task.";
  if (plan.tasks.length > 3 && cut.length === plan.tasks.length) return `Cuts all ${plural(cut.length, "task")}.`;
  if (cut.length > 8) return `Cuts ${plural(cut.length, "task")}: ${cut.join(", ")}.`;
  return `Cuts ${listText(cut.map((id) => taskName(plan, id)))}.`;
}

function listText(items) {
  return items.map((item) => `“${item}”`).join(", ");
}

const OPTION_TITLES = { approve: "Approve the overrun", reject: "Reject: trim to the budget", edit: "Your edited plan" };
const QUOTE_TITLES = { approve: "Accept the quote", reject: "Reject: nothing runs", edit: "Your edited plan" };

export class ApprovalPanel {
  constructor(titles) {
    this.titles = titles;
    this.key = null;
    this.pause = null;
    this.plan = planOf({}, titles);
    this.cut = new Set();
    this.disabled = false;
    this.tasksBody = $("#approval-tasks");
    this.quote = new QuoteView();
  }

  get isQuote() {
    return Boolean(this.pause && this.pause.reason === "quote");
  }

  /** Show `pause`; the task list is only rebuilt for a new payload, so ticks survive re-renders. */
  fill(pause, disabled) {
    const key = JSON.stringify([pause.reason, pause.plan_total, pause.budget, (pause.tasks || []).map((t) => t && t.id)]);
    if (key !== this.key) {
      this.key = key;
      this.pause = pause;
      this.plan = planOf(pause, this.titles);
      this.cut = new Set([...this.cut].filter((id) => this.plan.byId.has(id)));
      this.renderFacts();
      this.renderTasks();
      this.quote.fill(pause, this.plan, this.cut);
    }
    this.disabled = Boolean(disabled);
    this.renderChoice();
  }

  /** Disable or enable every control while a decision is on its way (keeps the ticks). */
  lock(disabled) {
    this.disabled = Boolean(disabled);
    this.renderChoice();
  }

  selectedCut() {
    return this.plan.tasks.filter((t) => this.cut.has(t.id)).map((t) => t.id);
  }

  renderFacts() {
    const pause = this.pause;
    const quoted = pause.reason === "quote";
    setText($("#approval-amount-label"), quoted ? "Left in the budget" : "Over budget by");
    setText($("#approval-amount"), quoted ? formatMoney(fromCents(toCents(pause.budget) - toCents(pause.plan_total))) : formatMoney(pause.amount));
    setText($("#approval-plan"), formatMoney(pause.plan_total));
    setText($("#approval-budget"), formatMoney(pause.budget));
    const rules = Array.isArray(pause.rules) && pause.rules.length
      ? ` Policy rules asking for sign-off: ${pause.rules.join(", ")}.` : "";
    const quote = this.isQuote;
    setText($("#approval-title"), quote ? "Quote: accept before money moves" : "Approval needed");
    setText($("#approval-reason"), quote
      ? "The plan fits its budget. Your organisation asks for a quote before any work starts: accept it, cut tasks and accept the rest, or reject it (nothing runs)."
      : `The plan costs more than the budget.${rules}`);
    const forecast = pause.quote && pause.quote.forecast;
    setText($("#approval-ai"), forecast ? rangeText(forecast) : "—");
    setText($("#approve"), quote ? "Accept quote" : "Approve overrun");
    setText($("#reject"), quote ? "Reject (run nothing)" : "Reject (trim the plan)");

    const lines = Array.isArray(pause.reconciliation) ? pause.reconciliation : [];
    const recon = clear($("#approval-reconciliation"));
    for (const line of lines) {
      recon.append(h("div", {}, h("dt", {}, String(line.label ?? "")), h("dd", { class: "num" }, formatMoney(line.amount_usd))));
    }
    $("#approval-reconciliation-box").hidden = lines.length === 0;

    const caps = Array.isArray(pause.caps) ? pause.caps : [];
    const capList = clear($("#approval-caps"));
    for (const cap of caps) {
      const name = cap.agent_title || this.titles[cap.agent] || cap.agent || "An agent";
      capList.append(h("li", {},
        `${name}: ${formatMoney(cap.planned_usd)} planned against a share cap of ${formatMoney(cap.cap_usd)}.`));
    }
    $("#approval-caps-box").hidden = caps.length === 0;

    // Old payloads name the tasks a reject drops by id only.
    const trim = this.plan.tasks.length ? [] : Array.isArray(pause.tasks_to_trim) ? pause.tasks_to_trim : [];
    setText($("#approval-trim"),
      trim.length ? `Rejecting drops ${plural(trim.length, "lower-priority task")} (${trim.join(", ")}) to fit the budget.` : "");
  }

  renderTasks() {
    const body = clear(this.tasksBody);
    $("#approval-tasks-box").hidden = this.plan.tasks.length === 0;
    // A badge every task carries says nothing about any one task: the summary lines say it once.
    const allOverCap = this.plan.tasks.every((task) => task.overCap);
    const allCut = this.plan.tasks.every((task) => task.cutOnReject);
    this.plan.tasks.forEach((task, index) => {
      const id = `cut-task-${index}`;
      const box = h("input", { type: "checkbox", id, class: "approval-cut", dataset: { taskId: task.id },
        "aria-describedby": `${id}-cost` });
      box.checked = this.cut.has(task.id);
      box.addEventListener("change", () => {
        if (box.checked) this.cut.add(task.id);
        else this.cut.delete(task.id);
        this.renderChoice();
      });
      const flags = [
        task.overCap && !allOverCap ? h("span", { class: "badge badge-warn" }, "over the agent's cap") : null,
        task.cutOnReject && !allCut ? h("span", { class: "badge" }, "cut if rejected") : null,
      ];
      body.append(h("tr", { dataset: { taskRow: task.id } },
        h("td", { class: "approval-cut-cell" }, box),
        h("td", {},
          h("label", { for: id, class: "approval-task-title" }, task.title),
          h("span", { class: "cell-sub mono" }, task.id), ...flags),
        h("td", { dataset: { label: "Agent" } }, task.agent),
        h("td", { class: "approval-task-objectives", dataset: { label: "Objectives" } },
          task.objectives.length ? task.objectives.join("; ") : "—"),
        h("td", { class: "num", dataset: { label: "Priority" } }, String(task.priority)),
        h("td", { class: "num", id: `${id}-cost`, dataset: { label: "Cost" } }, formatMoney(fromCents(task.cents)))));
    });
  }

  renderChoice() {
    const pause = this.pause || {};
    const options = pause.options && typeof pause.options === "object" ? pause.options : {};
    const count = this.cut.size;
    const edited = count ? editedPlan(pause, this.plan, this.cut) : null;
    const box = clear($("#approval-options"));
    for (const [kind, option] of [["approve", options.approve], ["reject", options.reject], ["edit", edited]]) {
      if (option) box.append(this.option(kind, option));
    }
    box.hidden = box.childElementCount === 0;

    const warn = $("#approval-edit-warning");
    const notes = [];
    if (edited && edited.everything) notes.push("Cutting every task is a rejection: use Reject instead.");
    for (const { task, lost } of edited ? edited.dependencies : []) {
      notes.push(`“${task.title}” depends on ${listText(lost)}, which you cut.`);
    }
    setText(warn, notes.join(" "));
    warn.hidden = notes.length === 0;
    setText($("#approval-edit-summary"), edited
      ? `Edited plan: ${formatMoney(edited.funded_usd)} funded, overrun ${formatMoney(edited.overrun_usd)}, ${plural(edited.lost_objectives.length, "objective")} losing all tasks.`
      : "");

    const editButton = $("#approve-edited");
    const approveButton = $("#approve");
    editButton.hidden = count === 0;
    setText(editButton, `${this.isQuote ? "Accept" : "Approve"} edited plan (cut ${plural(count, "task")})`);
    this.quote.renderForecast(this.cut);
    editButton.disabled = this.disabled || Boolean(edited && edited.everything);
    approveButton.className = count ? "btn" : "btn btn-primary";
    approveButton.disabled = this.disabled;
    $("#reject").disabled = this.disabled;
    for (const input of $$("input[data-task-id]", this.tasksBody)) input.disabled = this.disabled;
  }

  option(kind, option) {
    const cut = Array.isArray(option.cut) ? option.cut : [];
    const uncovered = Array.isArray(option.uncovered_objectives) ? option.uncovered_objectives : [];
    return h("section", { class: `approval-option approval-option-${kind}`, dataset: { option: kind } },
      h("h3", {}, kind === "edit" ? `${OPTION_TITLES.edit} (cut ${plural(cut.length, "task")})`
        : (this.isQuote ? QUOTE_TITLES : OPTION_TITLES)[kind]),
      h("dl", { class: "approval-option-figures" },
        h("div", {}, h("dt", {}, "Funded"), h("dd", { dataset: { figure: "funded" } }, formatMoney(option.funded_usd))),
        h("div", {}, h("dt", {}, "Ceiling"), h("dd", { dataset: { figure: "ceiling" } }, formatMoney(option.ceiling_usd))),
        h("div", {}, h("dt", {}, "Overrun"), h("dd", { dataset: { figure: "overrun" } }, formatMoney(option.overrun_usd)))),
      h("p", { class: "small", dataset: { figure: "cut" } },
        cutSentence(this.plan, cut)),
      h("p", { class: `small${uncovered.length ? " approval-uncovered" : ""}`, dataset: { figure: "uncovered" } },
        uncovered.length
          ? `Leaves uncovered: ${listText(uncovered.map((i) => objectiveName(this.plan, i)))}.`
          : "Every objective keeps at least one task."));
  }
}

/** The decision as every watcher sees it (from `approval.decided`). */
export function showDecision(data, pause, titles = {}) {
  const section = $("#approval-outcome");
  if (!section) return;
  const plan = planOf(pause || {}, titles);
  const cut = Array.isArray(data.cut) ? data.cut.map(String) : [];
  const cutTitles = Array.isArray(data.cut_titles) ? data.cut_titles : [];
  const names = cut.map((id, i) => String(cutTitles[i] || taskName(plan, id)));
  let money = "";
  if (data.funded_usd !== undefined) {
    money = ` ${formatMoney(data.funded_usd)} funded, ceiling ${formatMoney(data.ceiling_usd)}, overrun ${formatMoney(data.overrun_usd)}.`;
  } else if (data.decision === "approve" && data.amount !== undefined) {
    money = ` ${formatMoney(data.amount)} over the budget approved.`; // decisions recorded before the edit existed
  }
  const quote = data.reason === "quote";
  const what = quote ? {
    approve: "The quote was accepted.",
    reject: "The quote was rejected: nothing runs.",
    edit: `The quote was accepted with ${plural(cut.length, "task")} cut.`,
  }[data.decision] : {
    approve: "The overrun was approved.",
    reject: "The overrun was rejected: the plan was trimmed to the budget.",
    edit: `An edited plan was approved with ${plural(cut.length, "task")} cut.`,
  }[data.decision] || `Decision: ${String(data.decision || "unknown")}.`;
  setText($("#approval-outcome-title"), quote ? "Quote decision" : "Overrun decision");
  setText($("#approval-outcome-text"), `${what}${money}${data.note ? ` Note: “${data.note}”` : ""}`);
  const list = clear($("#approval-outcome-cut"));
  for (const [i, name] of names.entries()) list.append(h("li", { dataset: { taskId: cut[i] } }, `Cut: ${name}`));
  list.hidden = names.length === 0;
  section.hidden = false;
}
