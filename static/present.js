// Zeven stops — presentation mode (/present/), a module for app.js's registry. One document
// holds every view (the start screen, and per stop its statement and its discussion
// questions), so full screen survives moving between them. Each view keeps an address: the
// stop's own page (and "#vragen") where the History API may change the path; opened from disk
// (file://, where it may not) the fragment holds it: "#slug" or "#slug/vragen".
// Every change of view is announced by moving focus to its heading, and dispatched as
//   document "zevenstops:slide" {detail: {slug, index, view}}
// (slug null and index 0 on the start screen, index 1–7 for a stop, view "start",
// "statement" or "questions"), for the live session to follow.
(() => {
"use strict";

const SINGLE_KEYS = "zevenstops.sneltoetsen"; // the setting, remembered in this browser
const SWIPE = 60; // px a finger travels sideways before it counts as a swipe

// Everything on the page except `element` and its ancestors: what to make inert around it.
function everythingBut(element) {
  const others = [];
  for (let node = element; node.parentElement && node !== document.body; node = node.parentElement) {
    for (const sibling of node.parentElement.children) {
      if (sibling !== node && !sibling.inert) others.push(sibling);
    }
  }
  return others;
}

// Views live at different depths (present/ and present/<slug>/): once pushState changes the
// address, relative links, images and the icon would resolve against the new one. Make them
// absolute first (from disk there is no pushState, and nothing changes).
function anchorLinks(deck) {
  const absolute = (value) => new URL(value, location.href).href;
  for (const link of document.querySelectorAll("a[href], link[href]")) {
    link.setAttribute("href", absolute(link.getAttribute("href")));
  }
  for (const image of document.querySelectorAll("img[src]")) image.src = absolute(image.getAttribute("src"));
  for (const view of deck.querySelectorAll(".js-slide")) view.dataset.href = absolute(view.dataset.href);
  deck.dataset.exit = absolute(deck.dataset.exit);
}

function initPresentation(deck) {
  const { fragment, settings } = window.ZevenStops; // app.js's helpers: it starts this module
  if (location.protocol !== "file:") anchorLinks(deck);
  const views = [...deck.querySelectorAll(".js-slide")];
  const stops = views.filter((view) => view.dataset.view === "statement").map((view) => view.dataset.slug);
  const stations = [...deck.querySelectorAll(".js-station")];
  const blank = deck.querySelector(".js-blank");
  const prev = deck.querySelector(".js-deck-prev");
  const next = deck.querySelector(".js-deck-next");
  const exit = deck.querySelector(".js-deck-exit");
  const exitBase = deck.dataset.exit;
  let index = -1;

  const find = (slug, view = "statement") =>
    views.findIndex((v) => v.dataset.slug === slug && v.dataset.view === view);
  const pathOf = (view) => new URL(view.dataset.href, location.href).pathname;
  const kind = (view) => view.dataset.view || "start";

  // The view an address shows, or -1. The fragment wins: from disk it is all there is.
  function fromLocation() {
    const hash = fragment();
    if (hash === "start") return 0;
    const [slug, part] = hash.split("/");
    if (part === undefined || part === "vragen") {
      const named = find(slug, part ? "questions" : "statement");
      if (named >= 0) return named;
    }
    const page = views.findIndex((view) => kind(view) !== "questions" && pathOf(view) === location.pathname);
    if (page >= 0 && hash === "vragen" && views[page + 1]?.dataset.view === "questions") return page + 1;
    return page;
  }

  function remember(view) {
    try {
      history.pushState(null, "", view.dataset.href);
    } catch {
      // file:// has origin null: the History API refuses another path. The fragment can change.
      const slug = view.dataset.slug;
      location.hash = !slug ? "start" : kind(view) === "questions" ? `${slug}/vragen` : slug;
    }
  }

  // With larger text the line is wider than the screen and scrolls in its band: keep the
  // current stop in the middle of it (sideways only, the page itself does not move).
  const band = deck.querySelector(".deck__map");
  function showOnTheLine(link) {
    if (!band || band.scrollWidth <= band.clientWidth) return;
    const stop = link.getBoundingClientRect();
    const view = band.getBoundingClientRect();
    band.scrollLeft += stop.left + stop.width / 2 - (view.left + view.width / 2);
  }

  function render() {
    const view = views[index];
    views.forEach((v, n) => { v.hidden = n !== index; });
    const slug = view.dataset.slug || null;
    for (const link of stations) {
      const current = link.dataset.slug === slug;
      link.classList.toggle("metro-map__station--current", current);
      if (current) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
      if (current) showOnTheLine(link);
    }
    prev.hidden = index === 0;
    if (index > 0) prev.href = views[index - 1].dataset.href;
    const last = index === views.length - 1;
    next.href = last ? exitBase : views[index + 1].dataset.href;
    next.textContent = last ? next.dataset.last : next.dataset.next;
    exit.href = exitBase + (slug ? `#${slug}` : "");
    const title = view.dataset.title || view.querySelector(".js-slide-title").textContent;
    document.title = `${title} — presentatie`;
  }

  function dispatch() {
    const view = views[index];
    const slug = view.dataset.slug || null;
    const detail = { slug, index: slug ? stops.indexOf(slug) + 1 : 0, view: kind(view) };
    document.dispatchEvent(new CustomEvent("zevenstops:slide", { detail }));
  }

  function go(i, { push = true } = {}) {
    setBlank(false);
    const target = Math.min(Math.max(i, 0), views.length - 1);
    if (target === index) return;
    index = target;
    render();
    if (push) remember(views[index]);
    views[index].querySelector(".slide__heading").focus({ preventScroll: true });
    dispatch();
  }

  // -- the blanked screen: nothing else can be reached until it lifts ------------------------
  let inert = [];
  let returnTo = null;
  function setBlank(on) {
    if (on === !blank.hidden) return;
    blank.hidden = !on;
    if (on) {
      returnTo = document.activeElement;
      inert = everythingBut(blank);
      for (const element of inert) element.inert = true;
      blank.focus();
    } else {
      for (const element of inert) element.inert = false;
      inert = [];
      if (returnTo && returnTo !== document.body && document.contains(returnTo)) returnTo.focus();
    }
  }
  blank.addEventListener("click", () => setBlank(false));

  // -- single-character shortcuts can be switched off (WCAG 2.1.4) ---------------------------
  const setting = deck.querySelector(".js-shortcuts");
  let singleKeys = settings.get(SINGLE_KEYS) !== "uit";
  setting.checked = singleKeys;
  setting.addEventListener("change", () => {
    singleKeys = setting.checked;
    settings.set(SINGLE_KEYS, singleKeys ? "aan" : "uit");
  });
  deck.querySelector(".js-shortcuts-setting").hidden = false;

  document.addEventListener("keydown", (event) => {
    // A key the map already handled (arrows along the line) does one thing only.
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key;
    if (event.target.closest("textarea, select, [contenteditable], input:not([type=checkbox])")) return;
    if (event.target.closest("a, button, input") && (key === "Enter" || key === " ")) return;
    let handled = true;
    if (key === "ArrowRight" || key === "PageDown") go(index + 1);
    else if (key === "ArrowLeft" || key === "PageUp") go(index - 1);
    else if (key === "Home") go(0);
    else if (key === "End") go(views.length - 1);
    else if (key === "Escape") {
      if (!blank.hidden) setBlank(false);
      else location.assign(exit.href);
    } else if (!singleKeys) handled = false;
    else if (key === " ") go(index + 1);
    else if (/^[1-9]$/.test(key) && Number(key) <= stops.length) go(find(stops[Number(key) - 1]));
    else if (key === "b" || key === "B" || key === ".") setBlank(blank.hidden);
    else if (key === "f" || key === "F") toggleFullscreen();
    else handled = false;
    if (handled) event.preventDefault();
  });

  // Clicking the line or the arrows moves in place instead of loading a new page, which
  // would end full screen. An SVG link's href is no string: read the attribute, or the slug.
  deck.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const station = event.target.closest(".js-station");
    const step = event.target.closest(".js-deck-prev, .js-deck-next");
    let target = -1;
    if (station) target = find(station.dataset.slug);
    else if (step === prev) target = index - 1;
    else if (step === next && index < views.length - 1) target = index + 1;
    if (target < 0) return;
    event.preventDefault();
    go(target);
  });

  // Swipes on a tablet: left for the next view, right for the previous one.
  let touch = null;
  deck.addEventListener("pointerdown", (event) => {
    touch = event.pointerType !== "mouse" && event.isPrimary ? { x: event.clientX, y: event.clientY } : null;
  });
  deck.addEventListener("pointercancel", () => { touch = null; });
  deck.addEventListener("pointerup", (event) => {
    if (!touch || !event.isPrimary) return;
    const dx = event.clientX - touch.x;
    const dy = event.clientY - touch.y;
    touch = null;
    if (Math.abs(dx) >= SWIPE && Math.abs(dx) > 2 * Math.abs(dy)) go(dx < 0 ? index + 1 : index - 1);
  });

  const onAddressChange = () => {
    const i = fromLocation();
    if (i >= 0) go(i, { push: false });
  };
  window.addEventListener("popstate", onAddressChange);
  window.addEventListener("hashchange", onAddressChange);

  const fullscreen = deck.querySelector(".js-fullscreen");
  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen?.().catch(() => {});
  }
  if (document.fullscreenEnabled) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", toggleFullscreen);
  }
  deck.querySelector(".js-keys-hint").hidden = false;
  // The address to type, for those who cannot scan: as configured, or where this deck is served.
  const address = deck.querySelector(".js-guide-url");
  if (address.hidden && location.protocol.startsWith("http")) {
    const home = new URL(exitBase, location.href);
    address.textContent = (home.host + home.pathname).replace(/\/$/, "");
    address.hidden = false;
  }

  // Show the view the address names (the server marked its stop; a fragment may say more).
  const named = fromLocation();
  index = named >= 0 ? named : Math.max(0, views.findIndex((view) => !view.hidden));
  render();
  // Announced once every module has started, so a listener set up after this one hears it.
  queueMicrotask(dispatch);
}

window.ZevenStopsModules = window.ZevenStopsModules || {};
window.ZevenStopsModules.presentation = initPresentation;
})();
