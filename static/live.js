// Zeven stops — live sessions. Progressive enhancement only: without this file attendees
// answer with a plain form and a refresh link, and the facilitator moves by following links.
// A classic deferred script loaded before app.js: it registers its init functions in app.js's
// module registry (window.ZevenStopsModules), and app.js starts them.
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
  const now = root.querySelector(".js-live-now");  // announces the stop the room moved to
  root.querySelector(".js-live-refresh").hidden = true;

  function show(slug) {
    const target = stops.find((stop) => stop.dataset.slug === (slug || "")) || stops[0];
    if (!target.hidden) return;
    // Focus on the stop that goes (or nowhere) follows to the new one; a field elsewhere keeps it.
    const focused = document.activeElement;
    const follow = !focused || focused === document.body || stops.some((stop) => stop.contains(focused));
    for (const stop of stops) stop.hidden = stop !== target;
    root.dataset.current = slug || "";
    markCurrent(document, slug);
    target.scrollIntoView({ block: "start" });
    const heading = target.querySelector(".js-live-stop-title");
    const place = target.dataset.place;
    const name = place ? `${place}, ${heading.textContent.trim()}` : heading.textContent.trim();
    now.textContent = `${root.dataset.now} ${name}`;
    document.title = `${place ? `${place}: ${heading.textContent.trim()}` : name} — ${root.dataset.title}`;
    if (follow) heading.focus({ preventScroll: true });
  }

  // Follow the room. The browser reconnects a dropped stream by itself, but not one that was
  // answered with an error (a proxy's 502 while the server restarts, a 503): then this script
  // tries again, waiting longer each time (1, 2, 4 … 30 s), and says so in the meantime.
  const lost = root.querySelector(".js-live-lost");
  const refresh = root.querySelector(".js-live-refresh");
  let finished = false;
  let retries = 0;
  function connectionLost() {
    if (lost.textContent !== root.dataset.lost) lost.textContent = root.dataset.lost;
    refresh.hidden = false;
  }
  function connectionBack() {
    retries = 0;
    if (lost.textContent) lost.textContent = "";
    refresh.hidden = true;
  }
  function follow() {
    const events = new EventSource(root.dataset.events);
    events.addEventListener("halte", (event) => {
      connectionBack();
      show(JSON.parse(event.data).halte);  // after a reconnect: where the room is now
    });
    events.addEventListener("einde", () => {
      finished = true;
      events.close();
      connectionBack();
      ended.textContent = root.dataset.ended;
      for (const button of root.querySelectorAll("button, input")) button.disabled = true;
    });
    events.addEventListener("error", () => {
      if (finished) return;
      connectionLost();
      if (events.readyState !== EventSource.CLOSED) return;  // the browser is reconnecting itself
      const wait = Math.min(30000, 1000 * 2 ** retries) * (0.75 + Math.random() / 2);
      retries += 1;
      setTimeout(follow, wait);
    });
  }
  follow();

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

  // A written answer is sent without leaving the page; the field empties, the status says how many.
  for (const form of root.querySelectorAll(".js-live-write")) {
    const status = form.querySelector(".js-live-write-status");
    const field = form.elements.tekst;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!field.value.trim()) {
        status.textContent = form.dataset.empty;
        field.focus();
        return;
      }
      post(form.action, { halte: form.elements.halte.value, tekst: field.value }).then(
        (saved) => {
          field.value = "";
          status.textContent = form.dataset.sent.replace("{n}", saved.geschreven).replace("{max}", saved.hooguit);
          if (saved.geschreven >= saved.hooguit) {
            field.disabled = true;
            form.querySelector("button").disabled = true;
          }
        },
        (error) => { status.textContent = `${root.dataset.failed} (${error.message})`; },
      );
    });
  }
}

// -- the facilitator's deck --------------------------------------------------------------------

function initFacilitator(root) {
  const deck = root.closest(".deck") || document;
  const status = root.querySelector(".js-live-status");
  const room = root.querySelector(".js-live-room");
  const visibleSlug = () => deck.querySelector(".js-slide:not([hidden])")?.dataset.slug || null;
  const titles = Object.fromEntries(
    [...deck.querySelectorAll(".js-scan-station")].map((station) => [station.dataset.slug, station.dataset.room]),
  );
  let sent = visibleSlug();
  // With this script every slide change moves the room, so the no-JS button is not needed.
  root.querySelector(".js-live-move").hidden = true;
  // What the phones show. The line saying so is seen only while it is not the slide on this
  // screen (the deck reopened elsewhere, or a second device moved the room); it is always read out.
  let heard = root.dataset.halte || null;  // where the server last said the room is
  let roomSlug = heard;
  function showRoom() {
    room.classList.toggle("live-controls__room--elsewhere", roomSlug !== visibleSlug());
  }
  showRoom();

  // Every slide change moves the room (present.js announces it with "zevenstops:slide"; watching
  // the slides themselves covers a change it does not announce): `sent` keeps it to one post.
  function moved(slug) {
    if (slug === sent) return;
    sent = slug;
    showAnswers(false);  // a new stop starts with its statement
    toggle.hidden = !slug;  // the start screen has no answers to show
    roomSlug = slug;  // the room follows at once; its event confirms it
    showRoom();
    send();
  }
  // One move in flight at a time, then the latest slide: two posts at once could arrive in either
  // order and leave the room on the older slide (a clicker pressed twice quickly).
  let posting = false;
  function send() {
    if (posting) return;
    posting = true;
    const slug = sent;
    post(root.dataset.move, { halte: slug || "" }).then(
      () => { status.textContent = ""; },
      (error) => {
        status.textContent = error.message;
        if (sent === slug) sent = undefined;  // the next slide change tries again
        roomSlug = heard;
        showRoom();
      },
    ).finally(() => {
      posting = false;
      if (sent !== undefined && sent !== slug) send();
    });
  }
  // "Antwoorden tonen" (A) swaps the statement for the large chart; a new stop shows the statement
  // again. Its name stays the same: aria-pressed says whether the answers are shown.
  const toggle = root.querySelector(".js-live-toggle");
  function showAnswers(on) {
    deck.classList.toggle("live-deck--answers", on);
    toggle.setAttribute("aria-pressed", String(on));
  }
  toggle.hidden = !sent;
  toggle.addEventListener("click", () => showAnswers(toggle.getAttribute("aria-pressed") !== "true"));
  // A is a single-key shortcut: it obeys the deck's setting that switches those off (WCAG 2.1.4).
  const singleKeys = deck.querySelector(".js-shortcuts");
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || (event.key !== "a" && event.key !== "A")) return;
    if (toggle.hidden || (singleKeys && !singleKeys.checked)) return;
    if (event.target.closest("textarea, select, [contenteditable], input:not([type=checkbox])")) return;
    event.preventDefault();
    showAnswers(toggle.getAttribute("aria-pressed") !== "true");
  });

  document.addEventListener("zevenstops:slide", (event) => moved(event.detail?.slug || null));
  new MutationObserver(() => moved(visibleSlug())).observe(deck, {
    subtree: true, attributes: true, attributeFilter: ["hidden"],
  });

  const bands = ["scan-band--0", "scan-band--1", "scan-band--2", "scan-band--3", "scan-band--4", "scan-band--5"];
  const count = root.querySelector(".js-live-attendees-count");
  const warning = root.querySelector(".js-live-attendees-warning");
  const events = new EventSource(root.dataset.events);
  events.addEventListener("halte", (event) => {
    const slug = JSON.parse(event.data).halte;
    const text = (slug && titles[slug]) || root.dataset.start;
    const said = root.dataset.room + text;
    if (room.textContent !== said) room.textContent = said;
    heard = slug || null;
    roomSlug = heard;
    showRoom();
  });
  events.addEventListener("telling", (event) => {
    const data = JSON.parse(event.data);
    if (data.halte) {
      const body = deck.querySelector(`.js-live-tally[data-slug="${CSS.escape(data.halte)}"] .js-live-tally-body`);
      if (body) {
        body.innerHTML = data.grafiek;  // rendered by the server from its own template
        // Only the count is announced ("12 antwoorden"), not the whole chart.
        const said = body.parentElement.querySelector(".js-live-tally-said");
        const counted = body.querySelector(".live-tally__count")?.textContent.split("·")[0].replace(/\s+/g, " ").trim();
        if (said && counted && said.textContent !== counted) said.textContent = counted;
      }
    }
    if (data.halte && data.geschreven) {
      const written = deck.querySelector(`.js-live-written[data-slug="${CSS.escape(data.halte)}"]`);
      if (written && written.innerHTML !== data.geschreven) written.innerHTML = data.geschreven;  // the server's template
    }
    const waiting = root.querySelector(".js-live-waiting");
    if (waiting && waiting.textContent !== data.wachten) waiting.textContent = data.wachten;
    if (data.deelnemers) {
      if (count.textContent !== data.deelnemers.tekst) count.textContent = data.deelnemers.tekst;
      if (warning.textContent !== data.deelnemers.waarschuwing) warning.textContent = data.deelnemers.waarschuwing;
    }
    for (const station of deck.querySelectorAll(".js-scan-station")) {
      const score = data.kaart[station.dataset.slug];
      if (!score) continue;
      station.classList.remove(...bands);
      station.classList.add(`scan-band--${score.band}`);
      station.querySelector(".js-scan-score").textContent = score.tekst;
      station.setAttribute("aria-label", window.ZevenStops.scoredName(station, score.tekst, score.uitleg));
    }
  });
  events.addEventListener("einde", () => events.close());
}

// -- taking a session over on another device: the token from the link's fragment -----------------

function initTakeover(form) {
  if (!location.hash) return;
  let token = "";
  try {
    token = decodeURIComponent(location.hash.slice(1));
  } catch {
    // A mangled link (a stray "%"): the field stays empty for the code to be typed.
  }
  form.querySelector(".js-takeover-token").value = token;
  // Out of the address bar and the history at once: the fragment is the one place it was.
  history.replaceState(null, "", location.pathname + location.search);
}

// app.js (loaded after this script on every page) starts these, each failure on its own.
Object.assign((window.ZevenStopsModules = window.ZevenStopsModules || {}), {
  "live-attendee": initAttendee,
  "live-facilitator": initFacilitator,
  "live-takeover": initTakeover,
});
})();
