// The local Secrets Manager's console: the little it does in the browser.
// "Retrieve secret value" fetches the value on click (a POST with the session's token) and shows it;
// it is masked again on "Hide" and whenever the page is left or hidden. The store form shows only the
// fields of the chosen secret type.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const retrieve = document.getElementById("retrieve");
  if (retrieve) {
    const out = document.getElementById("secret-value");
    const hide = document.getElementById("hide-button");
    const mask = () => { out.textContent = ""; out.classList.add("masked"); hide.hidden = true; };
    retrieve.addEventListener("submit", async (event) => {
      event.preventDefault();
      const answer = await fetch(retrieve.action, {
        method: "POST", credentials: "same-origin", cache: "no-store",
        body: new URLSearchParams(new FormData(retrieve)),
      });
      const json = (answer.headers.get("Content-Type") || "").startsWith("application/json");
      const body = json ? await answer.json() : { error: await answer.text() };
      out.classList.remove("masked");
      out.textContent = body.error ? body.error : (body.value !== undefined ? body.value : "(binary, base64) " + body.binary);
      out.dataset.retrieved = body.error ? "error" : "value";
      hide.hidden = false;
    });
    hide.addEventListener("click", mask);
    window.addEventListener("pagehide", mask);
    document.addEventListener("visibilitychange", () => { if (document.hidden) mask(); });
  }
  const form = document.getElementById("new-secret");
  if (form) {
    const show = () => {
      const type = form.querySelector("input[name=type]:checked").value;
      form.querySelectorAll("fieldset.kind").forEach((f) => { f.hidden = f.dataset.kind !== type; });
    };
    form.querySelectorAll("input[name=type]").forEach((r) => r.addEventListener("change", show));
    show();
  }
});
