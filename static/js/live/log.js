// The event log: one line per event, type filters, and auto-scroll that can be paused.
import { $, $$, h, setText } from "../dom.js";
import { formatTime } from "../format.js";
import { categoryOf, CATEGORIES, describe, describeDetails } from "./describe.js";

export class EventLog {
  constructor(titles) {
    this.titles = titles;
    this.list = $("#log");
    this.box = $("#log-box");
    this.count = 0;
    this.autoscroll = true;
    this.hiddenCategories = new Set();
    this.toggle = $("#autoscroll");
    this.toggle.addEventListener("click", () => this.setAutoscroll(!this.autoscroll));
    for (const box of $$('input[name="log-filter"]')) {
      box.addEventListener("change", () => {
        if (box.checked) this.hiddenCategories.delete(box.value);
        else this.hiddenCategories.add(box.value);
        this.applyFilters();
      });
    }
  }

  setAutoscroll(on) {
    this.autoscroll = on;
    this.toggle.setAttribute("aria-pressed", String(on));
    setText(this.toggle, on ? "Auto-scroll on" : "Auto-scroll paused");
    if (on) this.scroll();
  }

  add(event) {
    const category = categoryOf(event.type);
    const item = h("li", { class: `log-item log-${category}`, dataset: { seq: event.seq, category, type: event.type } },
      h("time", { class: "log-time", datetime: event.ts }, formatTime(event.ts, "time")),
      h("span", { class: `log-type tag tag-${category}` }, event.type),
      h("span", { class: "log-text" }, describe(event, this.titles)));
    const details = describeDetails(event);
    if (details.length) {
      item.append(h("ul", { class: "log-details" }, details.map((line) => h("li", {}, line.text,
        line.link ? h("a", { href: line.link.href, rel: "noopener noreferrer", target: "_blank" }, line.link.label) : null))));
    }
    item.hidden = this.hiddenCategories.has(category);
    this.list.append(item);
    this.count += 1;
    setText($("#log-count"), this.count);
    $("#log-empty").hidden = true;
    this.scroll();
  }

  empty(text) {
    const empty = $("#log-empty");
    setText(empty, text);
    empty.hidden = this.count > 0;
  }

  applyFilters() {
    for (const item of $$(".log-item", this.list)) item.hidden = this.hiddenCategories.has(item.dataset.category);
    this.scroll();
  }

  scroll() {
    if (this.autoscroll) this.box.scrollTop = this.box.scrollHeight;
  }
}

export { CATEGORIES };
