// Admin provider page: structured-output modes of the chosen provider only, the "price not set"
// notice and the timeout placeholder as the form changes, and a busy Test connection button.
// Everything here is a convenience: the server validates and renders the same without scripts.
import { $ } from "./dom.js";

const data = JSON.parse($("#provider-data").textContent);
const form = $("#provider-form");
const provider = $("#provider");
const model = $("#model");
const mode = $("#structured_output");
const openaiUrl = $("#openai_base_url");
const anthropicUrl = $("#anthropic_base_url");
const timeout = $("#timeout_seconds");
const priceNotice = $("#price-not-set");
const prices = [$("#input_usd_per_mtok"), $("#output_usd_per_mtok")];
const HOSTED = ["https://api.openai.com/", "https://api.anthropic.com/"];

function providerInForce() {
  return provider.value || data.environment_provider;
}

function showModesOfProvider() {
  const chosen = providerInForce();
  for (const group of mode.querySelectorAll("optgroup")) {
    const mine = group.dataset.provider === chosen;
    group.hidden = !mine;
    group.disabled = !mine;
  }
  const selected = mode.selectedOptions[0];
  if (selected && selected.parentElement.tagName === "OPTGROUP" && selected.parentElement.disabled) mode.value = "";
}

function showPriceNotice() {
  const name = model.value.trim();
  const unset =
    provider.value === "openai" &&
    name !== "" &&
    !data.registry.includes(name) &&
    prices.every((input) => input.value.trim() === "") &&
    !data.environment_priced;
  priceNotice.hidden = !unset;
}

function showDefaultTimeout() {
  if (data.environment_timeout) return; // the operator's LLM_TIMEOUT_SECONDS holds whatever the URL
  const chosen = providerInForce();
  let url = "";
  if (chosen === "openai") url = openaiUrl.value.trim() || data.environment_openai_base_url;
  else if (chosen === "anthropic") url = anthropicUrl.value.trim();
  const hosted = !url || HOSTED.some((prefix) => `${url.replace(/\/+$/, "")}/`.startsWith(prefix));
  timeout.placeholder = String(hosted ? data.hosted_timeout : data.local_timeout);
}

function update() {
  showModesOfProvider();
  showPriceNotice();
  showDefaultTimeout();
}

form.addEventListener("input", update);
form.addEventListener("change", update);
update();

let submitting = false;
form.addEventListener("submit", (event) => {
  if (submitting) {
    event.preventDefault(); // one call at a time: each test is a real call
    return;
  }
  submitting = true;
  const button = event.submitter;
  if (button && button.id === "test-connection") {
    button.textContent = "Testing…";
    button.setAttribute("aria-busy", "true");
    button.setAttribute("aria-disabled", "true");
  }
});

// Back to this page from the browser's cache: the form can be sent again.
window.addEventListener("pageshow", () => {
  submitting = false;
  const button = $("#test-connection");
  button.textContent = "Test connection";
  button.removeAttribute("aria-busy");
  button.removeAttribute("aria-disabled");
});

const landing = $("#connection-result") || $("#connection-refused") || $("#form-errors");
if (landing) landing.focus();
