// Zeven stops — progressive enhancement only. Without this file every station is a plain
// link to its content; with it, stations open as panels under the map, keys move along the
// line, and the URL fragment (#slug) keeps back/forward and shared links working.
// A classic deferred script, not a module: modules do not run from file:// (the export).
//
// One way to find behaviour: an element names its module in `data-module`, and initAll()
// calls that module's init function with the element, once. Modules come from this file and
// from other scripts, which register them before DOMContentLoaded as
//   window.ZevenStopsModules["name"] = function (element) { … };
// Each init runs on its own: one that throws marks its element `data-module-failed` and the
// others still run. Nothing is hidden before its module has run, so a failure hides nothing.
// Every page loads app.js last (templates/base.html), so it starts every module, the other
// scripts' included, and hands them its helpers in window.ZevenStops.
(() => {
"use strict";

const STATION = ".js-station";

// The map that is showing: horizontal on wide screens, vertical on narrow ones.
function visibleStations(root = document) {
  return [...root.querySelectorAll(STATION)].filter((el) => el.getClientRects().length > 0);
}

// The URL fragment, decoded; a malformed one ("#%zz") is no fragment at all.
function fragment() {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return "";
  }
}

// A setting remembered in this browser. localStorage may be missing or refuse (file://, a
// private window): then the setting lasts as long as the page.
const settings = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      // Not remembered; it still holds for this page.
    }
  },
};

// Keys on the map: arrows move along the line, Home/End to the ends, Space opens a station.
function initMetroMap(map) {
  map.addEventListener("keydown", (event) => {
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
    // Handled here: the page around the map (the presentation) leaves this key alone.
    event.preventDefault();
    next?.focus();
  });
}

function initPanels(container) {
  const panels = new Map(
    [...container.querySelectorAll(".js-panel")].map((panel) => [panel.dataset.slug, panel]),
  );
  let openSlug = null;
  // In the embed, opening a stop must not scroll the host page: nothing here scrolls or focuses
  // in a way that moves the page around the frame.
  const embedded = Boolean(container.closest(".embed"));

  function setUrl(url) {
    try {
      history.pushState(null, "", url);
    } catch {
      // A sandboxed frame (WordPress: opaque origin) may not change its address: no matter.
    }
  }

  function markCurrent(slug) {
    for (const link of document.querySelectorAll(STATION)) {
      if (link.dataset.slug === slug) link.setAttribute("aria-current", "page"); // the panel shown is the station URL now
      else link.removeAttribute("aria-current");
    }
  }

  function show(slug, { focus }) {
    for (const [key, panel] of panels) panel.classList.toggle("is-open", key === slug);
    openSlug = slug;
    markCurrent(slug);
    if (focus) panels.get(slug).querySelector(".station__title")?.focus({ preventScroll: embedded });
    if (embedded && focus) scrollFrameTo(panels.get(slug));
  }

  // In a frame of fixed height (SharePoint) the embed scrolls itself; this scrolls only the
  // frame's own document, never the page around it (scrollIntoView would move both).
  function scrollFrameTo(element) {
    const top = element.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.6) window.scrollBy(0, top - 8);
  }

  function hide({ returnFocus }) {
    const was = openSlug;
    for (const panel of panels.values()) panel.classList.remove("is-open");
    openSlug = null;
    markCurrent(null);
    if (returnFocus && was) {
      visibleStations().find((link) => link.dataset.slug === was)?.focus({ preventScroll: embedded });
    }
  }

  // The URL is the state: #slug opens that station, anything else closes the panel.
  function sync({ focus }) {
    const slug = fragment();
    if (panels.has(slug)) show(slug, { focus });
    else if (openSlug) hide({ returnFocus: false });
  }

  function close() {
    if (!openSlug) return;
    setUrl(location.pathname + location.search);
    hide({ returnFocus: true });
    if (embedded) scrollFrameTo(document.getElementById("kaart"));
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
  if (embedded) {
    // A station opens by script, not by following "#slug": a fragment navigation would
    // scroll the host page to bring the frame's target into view.
    document.addEventListener("click", (event) => {
      const link = event.target.closest?.("a[href^='#']");
      const slug = link?.getAttribute("href").slice(1);
      if (!panels.has(slug) || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      setUrl(`#${slug}`);
      show(slug, { focus: true });
    });
  }
  // The embed can be opened on a stop (embed?stop=slug), whatever its fragment (WordPress adds
  // "#?secret=…"): on the server and from disk alike. A fragment naming a stop wins.
  const requested = new URLSearchParams(location.search).get("stop");
  if (!panels.has(fragment()) && panels.has(requested)) show(requested, { focus: false });
  else sync({ focus: false });
  // On a shared link the browser moves focus to the fragment itself once the page has
  // loaded; focus the open panel's title after that, so keyboard users start there. Not in
  // the embed: a frame must not take the focus from the page around it.
  if (openSlug && location.hash && !embedded) {
    const focusTitle = () => requestAnimationFrame(() => show(openSlug, { focus: true }));
    if (document.readyState === "complete") focusTitle();
    else window.addEventListener("load", focusTitle, { once: true });
  }
  // Only now may the CSS hide the closed panels: had anything above failed, all stay visible.
  container.classList.add("js-panels-ready");
}

// The handout's print button; a station page opened from a panel's "Afdrukken" link
// (#afdrukken) prints itself once.
function initPrintButton(button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
  if (location.hash === "#afdrukken") {
    history.replaceState(null, "", location.pathname + location.search);
    window.addEventListener("load", () => window.print(), { once: true });
  }
}

// The "Insluiten" snippet: a full address in the iframe, and a copy button.
function initEmbedCode(box) {
  const snippet = box.querySelector(".js-embed-snippet");
  const relative = snippet.dataset.relative;
  const absolute = new URL(relative, location.href).href;
  snippet.value = snippet.value.replace(`src="${relative}"`, `src="${absolute}"`);
  const button = box.querySelector(".js-copy");
  const status = box.querySelector(".js-copy-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(snippet.value);
    } catch {
      snippet.select();
      document.execCommand("copy");
    }
    status.textContent = button.dataset.done;
  });
}

// A QR code whose address the page could not know when it was built (no ZEVENSTOPS_BASE_URL):
// the code leads to where this page is served, so that is the address to type.
function initQrAddress(figure) {
  if (!location.protocol.startsWith("http")) return;
  const target = new URL(figure.dataset.path, location.href);
  const address = (target.host + target.pathname).replace(/\/$/, "");
  const caption = figure.querySelector("figcaption");
  if (caption) {
    // A long address breaks after a slash, as the server-written caption does.
    caption.replaceChildren(...address.split("/").flatMap((part, i) => (i ? ["/", document.createElement("wbr"), part] : [part])));
    caption.hidden = false;
  }
  const image = figure.querySelector("img");
  image.alt = `${image.alt}: ${address}`;
}

const MODULES = {
  "metro-map": initMetroMap,
  "station-panels": initPanels,
  "print-button": initPrintButton,
  "embed-code": initEmbedCode,
  "qr-address": initQrAddress,
};

function initAll(root = document) {
  // The modules of this file keep their names; other scripts add theirs.
  const registry = { ...window.ZevenStopsModules, ...MODULES };
  for (const element of root.querySelectorAll("[data-module]")) {
    const init = registry[element.dataset.module];
    if (!init || element.hasAttribute("data-module-started")) continue;
    element.setAttribute("data-module-started", "");
    try {
      init(element);
    } catch (error) {
      // Reported on the element and in the console, not thrown: the content stays, the next
      // module still runs.
      element.setAttribute("data-module-failed", String(error?.message ?? error));
      console.error(`Zeven stops: module "${element.dataset.module}" failed:`, error);
    }
  }
}

// A score map's station link is named as it reads (2.5.3): "3 Leiderschap 2,9, halte 3 van 7 — …";
// `shown` is the score written beside it ("" or "–" while there is none).
function scoredName(station, shown, spoken) {
  const score = shown && shown !== "–" ? ` ${shown}` : "";
  return `${station.dataset.name}${score}${station.dataset.rest} — ${spoken}`;
}

window.ZevenStopsModules = window.ZevenStopsModules || {};
// Helpers for the other scripts' modules (present.js, live.js, scan.js, embed.js), which app.js starts.
window.ZevenStops = { initAll, fragment, settings, scoredName };
// This script is deferred, so the other deferred scripts have registered their modules by then.
document.addEventListener("DOMContentLoaded", () => initAll());
})();
