// The watch protocol of one run over Socket.IO: ordered, gap-free, duplicate-free delivery.
//
// Events are delivered to `onEvent` strictly in seq order. A seq at or below the last delivered one
// is a duplicate and dropped; a seq beyond the next expected one is held until the gap is filled
// (by the replay in the watch ack, by later live events, or by fetching the stored log over HTTP).
// On every (re)connect the client watches again with its last seq, so nothing is missed.
// A stream can also go quiet with events missing and nothing after them to reveal the gap (the
// message queue between the worker and this server was down when they were published): while the
// run is not finished, a quiet stream asks the stored log for anything after the last seq, first
// after QUIET_MS and then less often (up to QUIET_MAX_MS) for as long as nothing new turns up.
import { io } from "../../vendor/socket.io.esm.min.js";
import { api } from "../api.js";

const EVENT = "event";
const GAP_FILL_MS = 1500;
const QUIET_MS = 10000;
const QUIET_MAX_MS = 60000;
const PAGE = 500;
const TERMINAL = new Set(["run.completed", "run.failed", "run.cancelled"]);
const FINISHED = new Set(["completed", "failed", "cancelled"]);

export class RunStream {
  constructor(runId, { onEvent, onState, onWatchers, onError } = {}) {
    this.runId = runId;
    this.lastSeq = 0;
    this.held = new Map();
    this.onEvent = onEvent || (() => {});
    this.onState = onState || (() => {});
    this.onWatchers = onWatchers || (() => {});
    this.onError = onError || (() => {});
    this.gapTimer = null;
    this.retryTimer = null;
    this.quietTimer = null;
    this.quietMs = QUIET_MS;
    this.finished = false;
    this.socket = null;
    this.watching = false;
  }

  start() {
    this.onState("connecting");
    this.socket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    this.socket.on("connect", () => this.watch());
    this.socket.on("disconnect", (reason) => {
      this.watching = false;
      clearTimeout(this.quietTimer); // the next connect watches again from lastSeq
      if (reason === "io server disconnect") {
        // The server closed us (logged out, deactivated): do not hammer it, say so.
        this.onState("offline", "The server closed the connection. Reload the page to reconnect.");
      } else {
        this.onState("reconnecting");
      }
    });
    this.socket.on("connect_error", (error) => {
      if (this.socket.active) this.onState("reconnecting");
      else this.onState("offline", (error && error.message) || "Connection refused. Reload the page.");
    });
    this.socket.on(EVENT, (event) => this.accept(event));
    this.socket.on("watchers", (info) => {
      if (info && info.run_id === this.runId) this.onWatchers(Number(info.count) || 0);
    });
    window.addEventListener("pagehide", () => this.stop());
    // Back/forward cache: a restored page has a closed socket; connecting again re-watches from lastSeq.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted && this.socket) this.socket.connect();
    });
  }

  stop() {
    if (this.socket) this.socket.disconnect();
    clearTimeout(this.gapTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.quietTimer);
  }

  watch() {
    this.onState("catching-up");
    this.socket.timeout(10000).emit("watch", { run_id: this.runId, after_seq: this.lastSeq }, async (err, ack) => {
      if (err) {
        // No answer in time: try again on the same connection.
        if (this.socket.connected) this.watch();
        return;
      }
      if (!ack || ack.ok === false) {
        const error = (ack && ack.error) || { code: "error", message: "The server refused to stream this run." };
        if (error.code === "rate_limited") {
          // Too many socket events from this user (other tabs, a busy dashboard): wait, then watch again.
          const seconds = Math.min(30, Math.max(1, Number(error.retry_after) || 2));
          this.onState("retrying", `Busy: trying again in ${seconds} s.`);
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => { if (this.socket.connected) this.watch(); }, seconds * 1000);
          return;
        }
        this.onState("offline", error.message);
        this.onError(error);
        return;
      }
      this.watching = true;
      if (FINISHED.has(ack.status)) this.finished = true;
      this.acceptAll(replayOf(ack));
      if (typeof ack.watchers === "number") this.onWatchers(ack.watchers);
      if (ack.more || this.held.size) await this.fill();
      this.onState("live");
      this.quietMs = QUIET_MS;
      this.armQuiet();
    });
  }

  acceptAll(events) {
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) this.accept(event);
  }

  accept(event) {
    if (!event || event.run_id !== this.runId || !Number.isInteger(event.seq)) return;
    if (event.seq <= this.lastSeq) return;
    if (event.seq > this.lastSeq + 1) {
      this.held.set(event.seq, event);
      this.scheduleFill();
      return;
    }
    this.deliver(event);
    while (this.held.has(this.lastSeq + 1)) {
      const next = this.held.get(this.lastSeq + 1);
      this.held.delete(next.seq);
      this.deliver(next);
    }
    for (const seq of this.held.keys()) if (seq <= this.lastSeq) this.held.delete(seq);
    if (!this.held.size) clearTimeout(this.gapTimer);
  }

  deliver(event) {
    this.lastSeq = event.seq;
    // A terminal event ends the watch for catching up; a later event (a resumed run) starts it again.
    this.finished = TERMINAL.has(event.type);
    this.quietMs = QUIET_MS;
    this.armQuiet();
    try {
      this.onEvent(event);
    } catch (error) {
      // A rendering bug must not stop the stream; it is visible in the console for developers.
      console.warn("could not render event", event.type, error);
    }
  }

  /** While the run is not finished, check the stored log once the stream has been quiet a while. */
  armQuiet() {
    clearTimeout(this.quietTimer);
    if (this.finished || !this.watching) return;
    this.quietTimer = setTimeout(() => this.catchUp(), this.quietMs);
  }

  async catchUp() {
    if (!this.watching) return;
    const before = this.lastSeq;
    await this.fill();
    // Nothing new: a paused or slow run. Ask less often; any delivered event resets the pace.
    if (this.lastSeq === before) this.quietMs = Math.min(this.quietMs * 2, QUIET_MAX_MS);
    this.armQuiet();
  }

  scheduleFill() {
    clearTimeout(this.gapTimer);
    this.gapTimer = setTimeout(() => this.fill(), GAP_FILL_MS);
  }

  /** Fetch stored events after the last delivered seq until the gap (or the log) ends. */
  async fill() {
    for (let round = 0; round < 100; round += 1) {
      let page;
      try {
        page = await api(`/api/runs/${encodeURIComponent(this.runId)}/events?after_seq=${this.lastSeq}&limit=${PAGE}`);
      } catch (error) {
        this.scheduleFill();
        return;
      }
      const events = replayOf(page);
      const before = this.lastSeq;
      this.acceptAll(events);
      if (events.length < PAGE || this.lastSeq === before) break;
    }
  }
}

function replayOf(payload) {
  if (!payload) return [];
  for (const key of ["events", "replay", "items"]) {
    if (Array.isArray(payload[key])) return payload[key];
  }
  return Array.isArray(payload) ? payload : [];
}
