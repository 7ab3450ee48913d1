// Zeven stops — progressive enhancement only. Without this file every station is a plain
// link to its content; with it, stations open as panels under the map, keys move along the
// line, and the URL fragment (#slug) keeps back/forward and shared links working.
// A classic deferred script, not a module: modules do not run from file:// (the export).
(() => {
"use strict";

const STATION = ".js-station";

// The map that is showing: horizontal on wide screens, vertical on narrow ones.
function visibleStations(root = document) {
  return [...root.querySelectorAll(STATION)].filter((el) => el.getClientRects().length > 0);
}

function initMapKeys() {
  document.addEventListener("keydown", (event) => {
    const current = event.target.closest?.(STATION);
    if (!current || event.altKey || event.ctrlKey || event.metaKey) return;
    const stations = visibleStations(current.closest("svg"));
    const index = stations.indexOf(current);
    let next = null;
    switch (event.key) {
      case "ArrowRight":
      case "ArrowDown":
        next = stations[Math.min(index + 1, stations.length - 1)];
        break;
      case "ArrowLeft":
      case "ArrowUp":
        next = stations[Math.max(index - 1, 0)];
        break;
      case "Home":
        next = stations[0];
        break;
      case "End":
        next = stations[stations.length - 1];
        break;
      case " ":
        // Links answer Enter; buttons also answer Space, and a station should too.
        event.preventDefault();
        current.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
        return;
      default:
        return;
    }
    event.preventDefault();
    next?.focus();
  });
}

function initPanels(container) {
  const panels = new Map(
    [...container.querySelectorAll(".js-panel")].map((panel) => [panel.dataset.slug, panel]),
  );
  let openSlug = null;

  function markCurrent(slug) {
    for (const link of document.querySelectorAll(STATION)) {
      if (link.dataset.slug === slug) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  }

  function show(slug, { focus }) {
    for (const [key, panel] of panels) panel.classList.toggle("is-open", key === slug);
    openSlug = slug;
    markCurrent(slug);
    if (focus) panels.get(slug).querySelector(".station__title")?.focus();
  }

  function hide({ returnFocus }) {
    const was = openSlug;
    for (const panel of panels.values()) panel.classList.remove("is-open");
    openSlug = null;
    markCurrent(null);
    if (returnFocus && was) {
      visibleStations().find((link) => link.dataset.slug === was)?.focus();
    }
  }

  // The URL is the state: #slug opens that station, anything else closes the panel.
  function sync({ focus }) {
    const slug = decodeURIComponent(location.hash.slice(1));
    if (panels.has(slug)) show(slug, { focus });
    else if (openSlug) hide({ returnFocus: false });
  }

  function close() {
    if (!openSlug) return;
    history.pushState(null, "", location.pathname + location.search);
    hide({ returnFocus: true });
  }

  window.addEventListener("hashchange", () => sync({ focus: true }));
  window.addEventListener("popstate", () => sync({ focus: true }));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && openSlug) {
      event.preventDefault();
      close();
    }
  });
  container.addEventListener("click", (event) => {
    if (event.target.closest(".js-close")) {
      event.preventDefault();
      close();
    }
  });
  sync({ focus: false });
  // On a shared link the browser moves focus to the fragment itself once the page has
  // loaded; focus the open panel's title after that, so keyboard users start there.
  if (openSlug) {
    const focusTitle = () => requestAnimationFrame(() => show(openSlug, { focus: true }));
    if (document.readyState === "complete") focusTitle();
    else window.addEventListener("load", focusTitle, { once: true });
  }
}

initMapKeys();
const container = document.querySelector('[data-module="station-panels"]');
if (container) initPanels(container);
})();
