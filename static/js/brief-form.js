// The new-run form: an editable list of objectives and live hints. The server still validates all.
import { $, $$, h, setText } from "./dom.js";
import { formatMoney, plural } from "./format.js";

const form = $("#brief-form");
const list = $("#objectives");
const max = Number(list.dataset.max || 10);
const addButton = $("#objective-add");

function renumber() {
  const items = $$(".objective", list);
  items.forEach((item, index) => {
    const input = item.querySelector("input");
    const label = item.querySelector("label");
    input.id = `objective-${index}`;
    label.setAttribute("for", input.id);
    setText(label, `Objective ${index + 1}`);
    input.required = index === 0;
    const remove = item.querySelector(".objective-remove");
    remove.hidden = items.length === 1;
    remove.setAttribute("aria-label", `Remove objective ${index + 1}`);
  });
  addButton.hidden = false;
  addButton.disabled = items.length >= max;
  setText(addButton, items.length >= max ? `At most ${max} objectives` : "+ Add objective");
}

function addObjective(value = "") {
  const item = h("li", { class: "objective" },
    h("label", { class: "visually-hidden" }),
    h("input", { name: "objectives", maxlength: "300", "aria-describedby": "objectives-hint" }),
    h("button", { type: "button", class: "btn btn-small btn-icon objective-remove" }, "Remove"));
  item.querySelector("input").value = value;
  list.append(item);
  renumber();
  return item.querySelector("input");
}

list.addEventListener("click", (click) => {
  const button = click.target.closest(".objective-remove");
  if (!button) return;
  const item = button.closest(".objective");
  const next = item.nextElementSibling || item.previousElementSibling;
  item.remove();
  renumber();
  if (next) next.querySelector("input").focus();
});

list.addEventListener("keydown", (key) => {
  // Enter in an objective adds the next one instead of submitting half a brief.
  if (key.key !== "Enter" || !key.target.matches("input")) return;
  key.preventDefault();
  const items = $$(".objective", list);
  const last = items[items.length - 1].querySelector("input");
  if (key.target === last && items.length < max && last.value.trim()) addObjective().focus();
  else if (key.target !== last) key.target.closest(".objective").nextElementSibling.querySelector("input").focus();
});

addButton.addEventListener("click", () => addObjective().focus());

function budgetHint() {
  const raw = $("#budget_usd").value.replace(/[$,\s]/g, "");
  const value = Number(raw);
  let text = "";
  if (raw && Number.isNaN(value)) text = "Enter a number, e.g. 25000.";
  else if (raw && value >= 100 && value <= 1000000) text = `That is ${formatMoney(value)}.`;
  setText($("#budget-preview"), text);
}

function timelineHint() {
  const days = Number($("#timeline_days").value);
  let text = "";
  if (!Number.isInteger(days) || days < 7 || days > 730) text = "";
  else if (days >= 60) text = `About ${Math.round(days / 30.4)} months.`;
  else text = `About ${plural(Math.round(days / 7), "week")}.`;
  setText($("#timeline-preview"), text);
}

$("#budget_usd").addEventListener("input", budgetHint);
$("#timeline_days").addEventListener("input", timelineHint);

form.addEventListener("submit", () => {
  // Empty extra objective fields are dropped by the server; disable double submits.
  $("#start-run").disabled = true;
  setText($("#start-run"), "Starting…");
});

renumber();
budgetHint();
timelineHint();
window.addEventListener("pageshow", () => {
  $("#start-run").disabled = false;
  setText($("#start-run"), "Start the run");
});
const firstInvalid = $('input[aria-invalid="true"]', form) || $("#form-errors");
if (firstInvalid) firstInvalid.focus();
