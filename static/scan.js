// Zeven stops — the Samenwerkingsscan on one device, without a server: the scores stay in this
// browser (localStorage) and in a file the user saves; a saved file is opened to compare. Works
// from the static export on disk too. Without this file the page offers the paper scan.
// A classic deferred script loaded before app.js: it registers its init function in app.js's
// module registry (window.ZevenStopsModules), and app.js starts it.
(() => {
"use strict";

const SCORE_BANDS = ["scan-band--0", "scan-band--1", "scan-band--2", "scan-band--3", "scan-band--4", "scan-band--5"];
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

// "2026-12-04" for today, on this device's clock: the date a saved file carries.
function isoToday() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
}

// A real calendar day written as "2026-12-04", or nothing.
function validDay(text) {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const [year, month, day] = text.split("-").map(Number);
  const date = new Date(year, month - 1, day);
  const same = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
  return same ? date : null;
}

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
  if (!isObject(scores)) scores = {};
  const items = [...root.querySelectorAll(".js-scan-item")];
  // The values each item can take (its radio buttons): all a saved file may hold.
  const allowed = {};
  for (const item of items) {
    const values = [...item.querySelectorAll("input[type=radio]")].map((input) => Number(input.value));
    (allowed[item.dataset.slug] ||= {})[item.dataset.item] = new Set(values);
  }
  const fits = (slug, item, value) =>
    Object.hasOwn(allowed, slug) && Object.hasOwn(allowed[slug], item) && allowed[slug][item].has(value);
  const scoreText = (value) => (value ? `${value} (${words[value - 1].toLowerCase()})` : root.dataset.none);

  const file = root.querySelector(".js-scan-file");
  const say = (key, fields = {}) =>
    Object.entries(fields).reduce((text, [name, value]) => text.replaceAll(`{${name}}`, value), file.dataset[key]);
  const compare = root.querySelector(".js-scan-compare");
  let earlier = null;  // {day, scores} of a file opened to compare; never mixed into `scores`

  // The map shows each stop's own score, in colour, pattern and number; with a file opened, its
  // name also says the earlier score.
  function paint() {
    for (const station of root.querySelectorAll(".js-scan-station")) {
      const value = scores[station.dataset.slug]?.[0] || 0;
      station.classList.remove(...SCORE_BANDS);
      station.classList.add(`scan-band--${value}`);
      const shown = value ? String(value) : "–";
      station.querySelector(".js-scan-score").textContent = shown;
      let said = window.ZevenStops.scoredName(station, shown, scoreText(value));
      if (earlier) said += `, ${file.dataset.before} ${earlier.scores[station.dataset.slug]?.[0] || file.dataset.beforeNone}`;
      station.setAttribute("aria-label", said);
    }
    compare.hidden = !earlier;
    if (!earlier) return;
    for (const row of compare.querySelectorAll(".js-scan-compare-row")) {
      const before = earlier.scores[row.dataset.slug]?.[0] || 0;
      const now = scores[row.dataset.slug]?.[0] || 0;
      row.querySelector(".js-scan-compare-before").textContent = scoreText(before);
      row.querySelector(".js-scan-compare-now").textContent = scoreText(now);
      let change = file.dataset.same;
      if (!now) change = root.dataset.none;
      else if (!before) change = file.dataset.noBefore;
      else if (now > before) change = `+${now - before}`;
      else if (now < before) change = `\u2212${before - now}`;
      row.querySelector(".js-scan-compare-change").textContent = change;
    }
  }

  function save() {
    try {
      storage?.setItem(root.dataset.key, JSON.stringify(scores));
      return Boolean(storage);
    } catch {
      status.textContent = root.dataset.unavailable;
      return false;
    }
  }
  function check() {
    for (const item of items) {
      const saved = scores[item.dataset.slug]?.[item.dataset.item];
      for (const input of item.querySelectorAll("input[type=radio]")) input.checked = Number(input.value) === saved;
    }
  }

  for (const item of items) {
    item.addEventListener("change", (event) => {
      (scores[item.dataset.slug] ||= {})[item.dataset.item] = Number(event.target.value);
      if (save()) status.textContent = root.dataset.saved;
      paint();
    });
  }
  check();

  // A yes/no question under a button ("Ja, …" first, "Nee, …" last), so one click never loses scores.
  function confirmer(button, group, yes) {
    const [agree, refuse] = [...group.querySelectorAll("button")];
    const ask = (open) => {
      group.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      (open ? refuse : button).focus();
    };
    button.addEventListener("click", () => ask(group.hidden));
    refuse.addEventListener("click", () => ask(false));
    agree.addEventListener("click", () => {
      group.hidden = true;
      button.setAttribute("aria-expanded", "false");
      yes();
    });
    return ask;
  }
  // "Alle scores wissen" asks first: one click must not lose a whole scan.
  clear.hidden = false;
  confirmer(clear, root.querySelector(".js-scan-confirm"), () => {
    scores = {};
    storage?.removeItem(root.dataset.key);
    check();
    status.textContent = root.dataset.cleared;
    paint();
    clear.focus();
  });

  // "Scores bewaren als bestand": the valid scores as a small JSON file, made here and downloaded
  // from memory (a blob: link), so it works from the export on disk as well.
  const exporter = root.querySelector(".js-scan-export");
  exporter.hidden = false;
  file.hidden = false;
  exporter.addEventListener("click", () => {
    const kept = {};
    for (const [slug, given] of Object.entries(scores)) {
      for (const [item, value] of Object.entries(isObject(given) ? given : {})) {
        if (fits(slug, item, value)) (kept[slug] ||= {})[item] = value;
      }
    }
    if (!Object.keys(kept).length) {
      status.textContent = say("nothing");
      return;
    }
    const day = isoToday();
    const saved = { formaat: file.dataset.format, versie: Number(file.dataset.version), datum: day, scores: kept };
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(saved, null, 2) + "\n"], { type: "application/json" }));
    link.download = say("fileName", { datum: day });
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    status.textContent = say("saved", { bestand: link.download });
  });

  // A saved file, checked strictly: the message for what is wrong, or {day, scores}.
  const stopTitle = (slug) => root.querySelector(`#scan-${CSS.escape(slug)}-titel`).textContent.trim();
  const shown = (value) => JSON.stringify(value).slice(0, 40);
  function read(text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return { error: say("notJson") };
    }
    if (!isObject(data) || data.formaat !== file.dataset.format || !("versie" in data)) return { error: say("notScan") };
    if (data.versie !== Number(file.dataset.version)) return { error: say("versionWrong", { versie: shown(data.versie) }) };
    const day = validDay(data.datum);
    if (!day) return { error: say("dateWrong") };
    if (!isObject(data.scores)) return { error: say("notScan") };
    const found = {};
    for (const [slug, given] of Object.entries(data.scores)) {
      if (!Object.hasOwn(allowed, slug)) return { error: say("stopUnknown", { halte: shown(slug) }) };
      if (!isObject(given)) return { error: say("scoreWrong", { halte: stopTitle(slug), score: shown(given) }) };
      for (const [item, value] of Object.entries(given)) {
        if (!Object.hasOwn(allowed[slug], item)) {
          return { error: say("itemUnknown", { halte: stopTitle(slug), stelling: shown(item) }) };
        }
        if (!Number.isInteger(value) || !fits(slug, item, value)) {
          return { error: say("scoreWrong", { halte: stopTitle(slug), score: shown(value) }) };
        }
        (found[slug] ||= {})[item] = value;
      }
    }
    if (!Object.keys(found).length) return { error: say("empty") };
    return { day, scores: found };
  }

  // "Eerdere scan openen om te vergelijken": a file chosen here is read in this browser only.
  const input = root.querySelector(".js-scan-import");
  const problem = root.querySelector(".js-scan-file-error");
  const fail = (message) => {
    problem.textContent = `${message} ${say("kept")}`;
  };
  const longDay = (day) => new Intl.DateTimeFormat("nl-NL", { day: "numeric", month: "long", year: "numeric" }).format(day);
  input.addEventListener("change", () => {
    const chosen = input.files[0];
    input.value = "";  // the same file can be chosen again
    if (!chosen) return;
    problem.textContent = "";
    if (chosen.size > Number(file.dataset.maxBytes)) {
      fail(say("tooLarge"));
      return;
    }
    const reader = new FileReader();
    reader.addEventListener("error", () => fail(say("unreadable")));
    reader.addEventListener("load", () => {
      const result = read(String(reader.result));
      if (result.error) {
        fail(result.error);
        return;
      }
      earlier = result;
      for (const date of compare.querySelectorAll(".js-scan-compare-date")) date.textContent = longDay(earlier.day);
      askLoad(false);
      paint();
      status.textContent = say("opened", { datum: longDay(earlier.day) });
      compare.querySelector("h2").focus();
    });
    reader.readAsText(chosen);
  });

  // "Deze scores laden" (a new device takes over an earlier scan) replaces, after asking.
  const load = compare.querySelector(".js-scan-load");
  const askLoad = confirmer(load, compare.querySelector(".js-scan-load-confirm"), () => {
    const day = longDay(earlier.day);
    scores = structuredClone(earlier.scores);
    earlier = null;
    save();
    check();
    paint();
    status.textContent = say("loaded", { datum: day });
    exporter.focus();
  });
  compare.querySelector(".js-scan-compare-close").addEventListener("click", () => {
    earlier = null;
    paint();
    status.textContent = say("closed");
    input.focus();
  });

  const done = root.querySelector(".js-scan-done");
  done.hidden = false;
  root.querySelector(".js-scan-form").addEventListener("submit", (event) => {
    event.preventDefault(); // nothing to send: each score is kept as it is chosen
    const total = root.querySelectorAll(".scan-stop").length;
    const given = Object.values(scores).filter((items) => items[0]).length;
    status.textContent = root.dataset.done.replace("{aantal}", given).replace("{totaal}", total);
    status.tabIndex = -1;
    status.focus(); // just above the map, which shows the scores
  });
  paint();
}

// app.js (loaded after this script on every page) starts it.
Object.assign((window.ZevenStopsModules = window.ZevenStopsModules || {}), { scan: initScan });
})();
