// Live reload for editors, injected only by `metro serve --reload` (never in production).
// Reloads the page when a new build is served; shows the content problems when an edit broke it.
(() => {
  "use strict";
  const script = document.currentScript;
  const loaded = new URL(script.src).searchParams.get("v");
  const events = new EventSource(new URL("events", script.src));
  let box = null;

  function showProblems(problems) {
    if (!box) {
      box = document.createElement("section");
      box.setAttribute("role", "alert");
      box.setAttribute("aria-label", "Fouten in de inhoud");
      Object.assign(box.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "1000", maxHeight: "50vh",
        overflow: "auto", background: "#fff4e5", color: "#1b1b1b", borderTop: "6px solid #b35c00",
        padding: "1rem 1.25rem", font: "1rem/1.4 system-ui, sans-serif",
      });
      document.body.append(box);
    }
    const heading = document.createElement("h2");
    heading.textContent = "De laatste wijziging heeft " + problems.length +
      (problems.length === 1 ? " fout" : " fouten") + "; u ziet nog de vorige versie.";
    Object.assign(heading.style, { margin: "0 0 0.5rem", fontSize: "1.15rem" });
    const list = document.createElement("ul");
    for (const problem of problems) {
      const item = document.createElement("li");
      item.textContent = problem;
      item.style.fontFamily = "ui-monospace, monospace";
      list.append(item);
    }
    box.replaceChildren(heading, list);
  }

  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.version && state.version !== loaded) {
      location.reload();
    } else if (state.problems.length) {
      showProblems(state.problems);
    } else if (box) {
      box.remove();
      box = null;
    }
  });
})();
