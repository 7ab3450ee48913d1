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
  // The embed can be opened on a stop (?stop=slug), on the server and from disk alike.
  const asked = new URLSearchParams(location.search).get("stop");
  if (!location.hash && asked && panels.has(asked)) {
    show(asked, { focus: false });
  } else {
    sync({ focus: false });
  }
  // On a shared link the browser moves focus to the fragment itself once the page has
  // loaded; focus the open panel's title after that, so keyboard users start there.
  if (openSlug) {
    const focusTitle = () => requestAnimationFrame(() => show(openSlug, { focus: true }));
    if (document.readyState === "complete") focusTitle();
    else window.addEventListener("load", focusTitle, { once: true });
  }
}

// Presentation mode: one document holds every slide, so fullscreen survives moving between
// stops; each slide still has its own URL (history.pushState), so a reload stays on it.
function initPresentation(deck) {
  // Slides live at different depths (present/ and present/<slug>/): once the address changes
  // with pushState, relative links would resolve against the new one. Make them absolute first.
  const absolute = (href) => new URL(href, location.href).href;
  for (const link of document.querySelectorAll("a[href], link[href]")) {
    link.setAttribute("href", absolute(link.getAttribute("href")));
  }
  for (const image of document.querySelectorAll("img[src]")) image.src = absolute(image.getAttribute("src"));
  for (const slide of deck.querySelectorAll(".js-slide")) slide.dataset.href = absolute(slide.dataset.href);
  deck.dataset.exit = absolute(deck.dataset.exit);
  const slides = [...deck.querySelectorAll(".js-slide")];
  const blank = deck.querySelector(".js-blank");
  const prev = deck.querySelector(".js-deck-prev");
  const next = deck.querySelector(".js-deck-next");
  const fullscreen = deck.querySelector(".js-fullscreen");
  const exit = deck.querySelector(".js-deck-exit");
  const exitBase = deck.dataset.exit;
  const nextLabel = next.textContent;
  const pathOf = (slide) => new URL(slide.dataset.href, location.href).pathname;
  let index = Math.max(0, slides.findIndex((slide) => !slide.hidden));

  function show(i, { push }) {
    index = Math.min(Math.max(i, 0), slides.length - 1);
    slides.forEach((slide, n) => { slide.hidden = n !== index; });
    const slug = slides[index].dataset.slug || null;
    for (const link of deck.querySelectorAll(STATION)) {
      const current = link.dataset.slug === slug;
      link.classList.toggle("metro-map__station--current", current);
      if (current) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
    }
    prev.hidden = index === 0;
    if (index > 0) prev.href = slides[index - 1].dataset.href;
    const last = index === slides.length - 1;
    next.href = last ? exitBase : slides[index + 1].dataset.href;
    next.textContent = last ? "Naar de kaart" : nextLabel;
    exit.href = exitBase + (slug ? `#${slug}` : "");
    const title = slides[index].querySelector(".slide__title");
    document.title = title.textContent + " — presentatie";
    if (push && location.pathname !== pathOf(slides[index])) {
      try {
        history.pushState(null, "", slides[index].dataset.href);
      } catch {
        // Opened from disk (origin null): the History API refuses; the slide still changes.
      }
    }
  }

  function toggleBlank(force) {
    blank.hidden = force === undefined ? !blank.hidden : !force;
  }

  const go = (i) => { toggleBlank(false); show(i, { push: true }); };

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("a, button") && (event.key === "Enter" || event.key === " ")) return;
    const key = event.key;
    if (["ArrowRight", "PageDown", " "].includes(key)) go(index + 1);
    else if (["ArrowLeft", "PageUp"].includes(key)) go(index - 1);
    else if (key === "Home") go(0);
    else if (key === "End") go(slides.length - 1);
    else if (/^[1-9]$/.test(key) && Number(key) < slides.length) go(Number(key));
    else if (key === "b" || key === "B" || key === ".") toggleBlank();
    else if (key === "f" || key === "F") toggleFullscreen();
    else if (key === "Escape") {
      if (!blank.hidden) toggleBlank(false);
      else location.assign(exit.href);
    } else return;
    event.preventDefault();
  });

  // Clicking the line or the arrows moves in place instead of loading a new page.
  deck.addEventListener("click", (event) => {
    const link = event.target.closest(`${STATION}, .js-deck-prev, .js-deck-next`);
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = slides.findIndex((slide) => pathOf(slide) === new URL(link.getAttribute("href")).pathname);
    if (target < 0) return;
    event.preventDefault();
    go(target);
  });
  blank.addEventListener("click", () => toggleBlank(false));
  window.addEventListener("popstate", () => {
    const i = slides.findIndex((slide) => pathOf(slide) === location.pathname);
    if (i >= 0) show(i, { push: false });
  });

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
  show(index, { push: false });
}

// A station page opened from a panel's "Afdrukken" link prints itself once.
function initPrint() {
  for (const button of document.querySelectorAll(".js-print")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  if (location.hash === "#afdrukken" && document.querySelector(".js-print")) {
    history.replaceState(null, "", location.pathname + location.search);
    window.addEventListener("load", () => window.print(), { once: true });
  }
}

// In an iframe on an intranet page: tell the host page how tall the guide is, whenever that
// changes (load, resize, a panel opening or closing), so the iframe can grow to fit.
function initEmbedHeight() {
  if (window.parent === window) return;
  let last = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "zevenstops:height", height }, "*");
  };
  new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
  post();
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

initMapKeys();
initPrint();
if (document.body.classList.contains("page-embed")) initEmbedHeight();
const embedCode = document.querySelector('[data-module="embed-code"]');
if (embedCode) initEmbedCode(embedCode);
const container = document.querySelector('[data-module="station-panels"]');
if (container) initPanels(container);
const deck = document.querySelector('[data-module="presentation"]');
if (deck) initPresentation(deck);
})();
