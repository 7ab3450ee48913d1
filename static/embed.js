// Zeven stops — the embed in someone else's page (templates/embed.html). Progressive
// enhancement only: without this file the frame shows the guide at the height the host gave it.
// A classic deferred script loaded before app.js: it registers its init function in app.js's
// module registry (window.ZevenStopsModules), and app.js starts it.
(() => {
"use strict";

// WordPress's embed protocol: a WordPress page that discovered the embed frames it sandboxed
// (no popups, no top navigation) with "#?secret=…" in its address, and listens for
// {secret, message, value}: "height" sizes the frame, "link" takes the host page there. Read
// once, before anything changes the fragment; empty when the embed is framed otherwise.
const WP_SECRET = (/^#\?(?:.*&)?secret=([A-Za-z0-9]+)/.exec(location.hash) || [])[1] || "";

// In an iframe on an intranet page: tell the host page how tall the guide is, whenever that
// changes (load, resize, a panel opening or closing), so the iframe can grow to fit: as the
// "Insluiten" snippet listens for it, and in WordPress's protocol when the address says so.
// In a WordPress frame, links that leave the embed ask the host page to go there.
const WP_MAX_HEIGHT = 1000; // wp-embed.js clamps the frame's height to 200–1000 px

function initEmbedFrame() {
  if (window.parent === window) return;
  let last = 0;
  const root = document.documentElement;
  const post = (force) => {
    // The content's height, also while the body scrolls itself (below).
    const height = Math.ceil(root.classList.contains("embed-clamped") ? document.body.scrollHeight : root.getBoundingClientRect().height);
    // WordPress makes its frame at most 1000 px tall, and that frame cannot scroll: a taller
    // embed (a phone) scrolls its own body instead, so nothing is out of reach.
    root.classList.toggle("embed-clamped", Boolean(WP_SECRET) && height > WP_MAX_HEIGHT);
    if (height === last && !force) return;
    last = height;
    window.parent.postMessage({ type: "zevenstops:height", height }, "*");
    if (WP_SECRET) window.parent.postMessage({ secret: WP_SECRET, message: "height", value: height }, "*");
  };
  const observer = new ResizeObserver(() => post(false));
  observer.observe(root);
  for (const child of document.body.children) observer.observe(child);
  window.addEventListener("load", () => post(true));
  post(true);
  if (!WP_SECRET) return;
  // The host announces itself ("ready") once its script runs: answer with the height again.
  window.addEventListener("message", (event) => {
    if (event.source === window.parent && event.data?.secret === WP_SECRET && event.data.message === "ready") post(true);
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href]");
    if (!link || link.getAttribute("href").startsWith("#")) return;
    event.preventDefault();
    window.parent.postMessage({ secret: WP_SECRET, message: "link", value: link.href }, "*");
  });
}

window.ZevenStopsModules = window.ZevenStopsModules || {};
window.ZevenStopsModules["embed-frame"] = initEmbedFrame;
})();
