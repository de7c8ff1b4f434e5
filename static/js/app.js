// Loaded on every page: localise times and money, and make flashes focusable for screen readers.
import { localise } from "./format.js";

function ready() {
  localise(document);
  const alert = document.querySelector(".flashes .flash-error, #login-error");
  if (alert) {
    alert.setAttribute("tabindex", "-1");
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
else ready();
