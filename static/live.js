// Zeven stops — live sessions. Progressive enhancement only: without this file attendees
// answer with a plain form and a refresh link, and the facilitator moves by following links.
// A classic deferred script loaded before app.js: it registers its init functions for app.js's
// module registry (window.ZevenStopsModules) and starts them itself if nothing else does.
(() => {
"use strict";

const JSON_POST = {
  method: "POST",
  headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
  credentials: "same-origin",
};

function post(url, fields) {
  return fetch(url, { ...JSON_POST, body: new URLSearchParams(fields) }).then((response) => {
    if (!response.ok) {
      return response.json().then(
        (body) => Promise.reject(new Error(body.detail || response.statusText)),
        () => Promise.reject(new Error(response.statusText)),
      );
    }
    return response.json();
  });
}

// The map's stations for a slug: mark the stop the room is at, as the server would have.
function markCurrent(root, slug) {
  for (const link of root.querySelectorAll(".js-station")) {
    const current = link.dataset.slug === slug;
    link.classList.toggle("metro-map__station--current", current);
    if (current) link.setAttribute("aria-current", "step");
    else link.removeAttribute("aria-current");
  }
}

// -- the attendee's phone ----------------------------------------------------------------------

function initAttendee(root) {
  const stops = [...root.querySelectorAll(".js-live-stop")];
  const ended = root.querySelector(".js-live-ended");
  root.querySelector(".js-live-refresh").hidden = true;

  function show(slug) {
    const target = stops.find((stop) => stop.dataset.slug === (slug || "")) || stops[0];
    if (!target.hidden) return;
    for (const stop of stops) stop.hidden = stop !== target;
    root.dataset.current = slug || "";
    markCurrent(document, slug);
    target.scrollIntoView({ block: "start" });
  }

  const events = new EventSource(root.dataset.events);
  events.addEventListener("halte", (event) => show(JSON.parse(event.data).halte));
  events.addEventListener("einde", () => {
    events.close();
    ended.textContent = root.dataset.ended;
    for (const button of root.querySelectorAll("button, input")) button.disabled = true;
  });

  // Each choice is saved at once; the button sends the whole form, as without JavaScript.
  for (const form of root.querySelectorAll(".js-live-answer")) {
    const status = form.querySelector(".js-live-answer-status");
    const halte = form.elements.halte.value;
    const send = (fields) => {
      post(form.action, { halte, ...fields }).then(
        () => { status.textContent = root.dataset.saved; },
        (error) => { status.textContent = `${root.dataset.failed} (${error.message})`; },
      );
    };
    form.addEventListener("change", (event) => {
      if (event.target.type === "radio") send({ [event.target.name]: event.target.value });
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const fields = Object.fromEntries(new FormData(form));
      delete fields.halte;
      if (Object.keys(fields).length) send(fields);
    });
  }
}

// -- the facilitator's deck --------------------------------------------------------------------

function initFacilitator(root) {
  const deck = root.closest(".deck") || document;
  const status = root.querySelector(".js-live-status");
  const visibleSlug = () => deck.querySelector(".js-slide:not([hidden])")?.dataset.slug || null;
  let sent = visibleSlug();

  // Every slide change moves the room. app.js announces it with "zevenstops:slide"; watching
  // the slides themselves covers an app.js that does not (yet): `sent` keeps it to one post.
  function moved(slug) {
    if (slug === sent) return;
    sent = slug;
    showAnswers(false);  // a new stop starts with its statement
    toggle.hidden = !slug;  // the start screen has no answers to show
    post(root.dataset.move, { sleutel: root.dataset.secret, halte: slug || "" }).then(
      () => { status.textContent = ""; },
      (error) => { status.textContent = error.message; sent = null; },
    );
  }
  // "Antwoorden tonen" (A) swaps the statement for the large chart; a new stop shows the statement again.
  const toggle = root.querySelector(".js-live-toggle");
  const labels = { false: toggle.textContent, true: toggle.dataset.hide };
  function showAnswers(on) {
    deck.classList.toggle("live-deck--answers", on);
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = labels[on];
  }
  toggle.hidden = !sent;
  toggle.addEventListener("click", () => showAnswers(toggle.getAttribute("aria-pressed") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || (event.key !== "a" && event.key !== "A")) return;
    if (toggle.hidden) return;
    event.preventDefault();
    showAnswers(toggle.getAttribute("aria-pressed") !== "true");
  });

  document.addEventListener("zevenstops:slide", (event) => moved(event.detail?.slug || null));
  new MutationObserver(() => moved(visibleSlug())).observe(deck, {
    subtree: true, attributes: true, attributeFilter: ["hidden"],
  });

  const bands = ["scan-band--0", "scan-band--1", "scan-band--2", "scan-band--3", "scan-band--4", "scan-band--5"];
  const events = new EventSource(root.dataset.events);
  events.addEventListener("telling", (event) => {
    const data = JSON.parse(event.data);
    if (data.halte) {
      const body = deck.querySelector(`.js-live-tally[data-slug="${CSS.escape(data.halte)}"] .js-live-tally-body`);
      if (body) body.innerHTML = data.grafiek;  // rendered by the server from its own template
    }
    for (const station of deck.querySelectorAll(".js-scan-station")) {
      const score = data.kaart[station.dataset.slug];
      if (!score) continue;
      station.classList.remove(...bands);
      station.classList.add(`scan-band--${score.band}`);
      station.querySelector(".js-scan-score").textContent = score.tekst;
      station.setAttribute("aria-label", `${station.dataset.name} — ${score.uitleg}`);
    }
  });
  events.addEventListener("einde", () => events.close());
}

// -- the scan on one device, kept in this browser only ------------------------------------------

function initScan(root) {
  const words = root.dataset.words.split("|");
  const status = root.querySelector(".js-scan-status");
  const clear = root.querySelector(".js-scan-clear");
  let scores = {};
  let storage = null;
  try {
    storage = window.localStorage;
    scores = JSON.parse(storage.getItem(root.dataset.key) || "{}") || {};
  } catch {
    status.textContent = root.dataset.unavailable;  // e.g. storage switched off for files
  }
  const items = [...root.querySelectorAll(".js-scan-item")];

  // The map shows each stop's own score, in colour, pattern and number.
  function paint() {
    for (const station of root.querySelectorAll(".js-scan-station")) {
      const value = scores[station.dataset.slug]?.[0] || 0;
      station.classList.remove("scan-band--0", "scan-band--1", "scan-band--2", "scan-band--3", "scan-band--4", "scan-band--5");
      station.classList.add(`scan-band--${value}`);
      station.querySelector(".js-scan-score").textContent = value ? String(value) : "–";
      const said = value ? `${value} (${words[value - 1].toLowerCase()})` : root.dataset.none;
      station.setAttribute("aria-label", `${station.dataset.name} — ${said}`);
    }
  }

  for (const item of items) {
    const saved = scores[item.dataset.slug]?.[item.dataset.item];
    const input = saved && item.querySelector(`input[value="${saved}"]`);
    if (input) input.checked = true;
    item.addEventListener("change", (event) => {
      (scores[item.dataset.slug] ||= {})[item.dataset.item] = Number(event.target.value);
      try {
        storage?.setItem(root.dataset.key, JSON.stringify(scores));
        if (storage) status.textContent = root.dataset.saved;
      } catch {
        status.textContent = root.dataset.unavailable;
      }
      paint();
    });
  }
  // "Alle scores wissen" asks first: one click must not lose a whole scan.
  const confirm = root.querySelector(".js-scan-confirm");
  const ask = (open) => {
    confirm.hidden = !open;
    clear.setAttribute("aria-expanded", String(open));
    (open ? confirm.querySelector(".js-scan-confirm-no") : clear).focus();
  };
  clear.hidden = false;
  clear.addEventListener("click", () => ask(confirm.hidden));
  confirm.querySelector(".js-scan-confirm-no").addEventListener("click", () => ask(false));
  confirm.querySelector(".js-scan-confirm-yes").addEventListener("click", () => {
    scores = {};
    storage?.removeItem(root.dataset.key);
    for (const input of root.querySelectorAll("input[type=radio]")) input.checked = false;
    status.textContent = root.dataset.cleared;
    paint();
    ask(false);
  });
  root.querySelector(".js-scan-form").addEventListener("submit", (event) => event.preventDefault());
  paint();
}

const modules = (window.ZevenStopsModules = window.ZevenStopsModules || {});
const started = new WeakSet();
const mine = {
  "live-attendee": initAttendee,
  "live-facilitator": initFacilitator,
  "live-scan": initScan,
};
for (const [name, init] of Object.entries(mine)) {
  modules[name] = (element) => {
    if (started.has(element)) return;  // started already, by the registry or by the fallback below
    started.add(element);
    init(element);
  };
}

// Until app.js's registry starts these modules, start them here; each failure stays its own.
document.addEventListener("DOMContentLoaded", () => {
  for (const name of Object.keys(mine)) {
    for (const element of document.querySelectorAll(`[data-module="${name}"]`)) {
      try {
        modules[name](element);
      } catch (error) {
        console.error(`live.js: ${name}`, error);
      }
    }
  }
});
})();
