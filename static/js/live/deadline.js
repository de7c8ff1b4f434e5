// The decision deadline of a paused run: "decide by …" in the viewer's time zone, with the fallback
// named, and what the fallback did once the deadline passed (services/runs/deadlines.py).
import { setText } from "../dom.js";
import { formatTime, timeZoneName } from "../format.js";

const WILL = { trim: "the plan is trimmed to the budget and caps", cancel: "the run is cancelled" };
const DID = { trim: "the plan was trimmed to the budget and caps", cancel: "the run was cancelled" };

/** "Decide by 1 Dec 2026, 15:05: if nobody decides by then, the run is cancelled." */
export function deadlineText(deadline) {
  const when = formatTime(deadline.due_at);
  return `Decide by ${when} (${timeZoneName()}): if nobody decides by then, ${WILL[deadline.fallback] || WILL.trim}.`;
}

/** What the fallback did, for the notice and the event log. */
export function expiredText(data) {
  return `Nobody decided by ${formatTime(data.due_at)}: ${DID[data.fallback] || DID.trim} (the deadline's fallback).`;
}

export class DeadlineNotice {
  constructor(node) {
    this.node = node;
    this.expired = false;
  }

  /** Show the deadline of a new pause (none: hide it). */
  show(deadline) {
    if (!this.node) return;
    this.expired = false;
    const valid = deadline && typeof deadline.due_at === "string";
    this.node.hidden = !valid;
    this.node.classList.remove("notice-warn");
    if (valid) setText(this.node, deadlineText(deadline));
  }

  /** The deadline passed: say what the fallback did, and keep saying it. */
  passed(data) {
    if (!this.node) return;
    this.expired = true;
    this.node.hidden = false;
    this.node.classList.add("notice-warn");
    setText(this.node, expiredText(data));
  }

  /** Someone decided (or the run went on): a deadline no longer applies. */
  hide() {
    if (this.node && !this.expired) this.node.hidden = true;
  }
}
