// ipwatch review desk: keyboard review and bulk selection on the queue. The pages work without
// this file; it only adds keys (j/k/c/d/u/x/?) and calls the same JSON API with the CSRF token.
"use strict";
(function () {
  const token = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const cards = () => Array.from(document.querySelectorAll("#cards .qcard"));
  let current = -1;
  let lastDecided = [];

  function focusCard(index) {
    const all = cards();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((c, i) => c.classList.toggle("current", i === current));
    all[current].focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function ids(card) { return (card.dataset.findings || "").split(" ").filter(Boolean); }

  function say(text, bad) {
    let box = document.getElementById("flash");
    if (!box) {
      box = document.createElement("p");
      box.id = "flash";
      box.setAttribute("role", "status");
      document.querySelector(".queue").prepend(box);
    }
    box.className = bad ? "error" : "notice";
    box.textContent = text;  // text only: never markup
  }

  async function decide(findingIds, status, reason) {
    const response = await fetch("/api/v1/findings/bulk-decision", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token() },
      body: JSON.stringify({ ids: findingIds, status: status, reason: reason }),
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) { say(body.error || ("refused: HTTP " + response.status), true); return null; }
    return body;
  }

  async function decideCurrent(status) {
    const card = cards()[current];
    if (!card) return;
    let reason = status === "confirmed" ? "confirmed from the queue" : "";
    if (status === "dismissed") {
      reason = window.prompt("Why dismiss? (kept with the decision)", "") || "";
      if (!reason.trim()) { say("Not dismissed: a reason is needed.", true); return; }
    }
    const done = await decide(ids(card), status, reason);
    if (!done) return;
    lastDecided = done.decided.map((o) => o.finding_id);
    const refused = done.refused.length ? ", " + done.refused.length + " refused: " + done.refused[0].error : "";
    say(done.decided.length + " finding(s) " + status + refused + ". Press u to undo.", done.refused.length > 0);
    card.classList.add("decided");
    card.querySelectorAll(".status").forEach((s) => { s.textContent = status; s.className = "status " + status; });
    focusCard(current + 1);
  }

  async function undo() {
    if (!lastDecided.length) { say("Nothing to undo.", true); return; }
    const done = await decide(lastDecided, "in_review", "undo: reopened from the queue");
    if (done) { say(done.decided.length + " finding(s) reopened."); lastDecided = []; }
  }

  function updateSelected() {
    const counter = document.getElementById("selected-count");
    if (!counter) return;
    const n = Array.from(document.querySelectorAll('input[name="ids"]:checked'))
      .reduce((sum, box) => sum + (box.dataset.ids || "").split(" ").filter(Boolean).length, 0);
    counter.textContent = String(n);
  }

  document.addEventListener("change", (event) => {
    if (event.target.name === "ids") updateSelected();
  });

  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "select", "textarea"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
    const help = document.getElementById("help");
    if (event.key === "?") { help.hidden = !help.hidden; event.preventDefault(); return; }
    if (event.key === "Escape") { help.hidden = true; return; }
    if (!document.getElementById("cards")) return;
    const keys = {
      j: () => focusCard(current + 1),
      k: () => focusCard(current - 1),
      c: () => decideCurrent("confirmed"),
      d: () => decideCurrent("dismissed"),
      u: () => undo(),
      x: () => { const box = cards()[current] && cards()[current].querySelector('input[name="ids"]'); if (box) { box.checked = !box.checked; updateSelected(); } },
      Enter: () => { const card = cards()[current]; if (card) window.location.assign(card.dataset.href); },
    };
    const action = keys[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  document.addEventListener("DOMContentLoaded", () => { if (cards().length) focusCard(0); updateSelected(); });
})();
