// Report forms: every field saves itself when the person leaves it, and
// nothing typed is lost when the connection drops: unsent values wait in
// this device's storage and go out as soon as the connection is back.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !form.dataset.autosaveUrl) { return; }
  var url = form.dataset.autosaveUrl;
  var storeKey = "simpul:report:" + form.dataset.submission;
  var statusBox = document.getElementById("save-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function pending() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function keep(key, entry) {
    var all = pending(); all[key] = entry;
    try { window.localStorage.setItem(storeKey, JSON.stringify(all)); } catch (e) { /* storage full: nothing to do */ }
  }
  function forget(key) {
    var all = pending(); delete all[key];
    try { window.localStorage.setItem(storeKey, JSON.stringify(all)); } catch (e) { /* ignore */ }
  }
  function say(text, kind) {
    if (statusBox) { statusBox.textContent = text; statusBox.className = "save-status " + (kind || ""); }
  }
  function entryFor(input) {
    var isExplanation = input.dataset.autosave === "explanation";
    var code = input.name.slice(2);
    return { key: (isExplanation ? "e:" : "v:") + code, code: code, field: isExplanation ? "explanation" : "value", value: input.value };
  }
  var inFlight = {};
  function send(entry) {
    // One request per field at a time; a newer value waits in storage for the next flush.
    if (inFlight[entry.key]) { return Promise.resolve(); }
    inFlight[entry.key] = true;
    var body = new URLSearchParams();
    body.set("code", entry.code);
    body.set(entry.field, entry.value);
    say(form.dataset.savingText || "Menyimpan…");
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "HX-Request": "true" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("ind-" + entry.code);
      var current = document.getElementById("ind-" + entry.code);
      var focused = document.activeElement && current && current.contains(document.activeElement);
      if (fresh && current && !focused) { current.replaceWith(fresh); }
      var findings = doc.getElementById("findings");
      if (findings) { document.getElementById("findings").replaceWith(findings); }
      if (!fresh || fresh.dataset.saved === "true") { forget(entry.key); say(form.dataset.savedText || "Tersimpan.", "ok"); }
      else { say(form.dataset.errorText || "Ada isian yang perlu diperbaiki.", "error"); }
    }).catch(function () {
      say(form.dataset.offlineText || "Tidak tersambung: isian disimpan di perangkat ini dan dikirim saat sambungan kembali.", "offline");
    }).then(function () {
      delete inFlight[entry.key];
      var waiting = pending()[entry.key];
      if (waiting && waiting.value !== entry.value) { send(waiting); }
    });
  }
  function flush() {
    var all = pending();
    Object.keys(all).forEach(function (key) { send(all[key]); });
  }
  form.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.autosave !== undefined) { keep(entryFor(event.target).key, entryFor(event.target)); }
  });
  form.addEventListener("change", function (event) {
    if (event.target.dataset && event.target.dataset.autosave !== undefined) {
      var entry = entryFor(event.target); keep(entry.key, entry); send(entry);
    }
  });
  window.addEventListener("online", flush);
  // Values typed while offline (or before a crash) come back into the form and are sent.
  var saved = pending();
  Object.keys(saved).forEach(function (key) {
    var entry = saved[key];
    var input = document.getElementById((entry.field === "explanation" ? "e_" : "v_") + entry.code);
    if (input) { input.value = entry.value; }
  });
  if (Object.keys(saved).length) { flush(); }
})();
