/* Tributary web chat widget.
 *
 * <script src="https://hub.example.com/widget.js" data-channel="web"></script>
 *
 * Talks to /chat/{channel} over a WebSocket; where one cannot be opened (or with
 * data-transport="http") it falls back to POST /chat/{channel}/messages and polls
 * GET /chat/{channel}/messages. The visitor token is kept in localStorage so that
 * a return visit resumes the same conversation.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var channel = (script && script.getAttribute("data-channel")) || "web";
  var forced = script && script.getAttribute("data-transport");
  var base = new URL(script ? script.src : location.href, location.href);
  var httpBase = base.origin;
  var wsBase = (base.protocol === "https:" ? "wss://" : "ws://") + base.host;
  var storeKey = "tributary." + channel;
  var state = load();
  var seen = {};
  var lastSeen = 0; // per page: a new page loads the whole history, a reconnect only what it missed
  var outbox = []; // messages not yet acknowledged, resent with the same id
  var socket = null;
  var pollTimer = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- view ---------------------------------------------------------------
  var root = document.createElement("div");
  root.id = "tributary-chat";
  root.setAttribute("data-transport", "connecting");
  root.innerHTML =
    '<style>' +
    '#tributary-chat{position:fixed;right:16px;bottom:16px;width:320px;font:14px system-ui,sans-serif;' +
    'border:1px solid #ccd;border-radius:10px;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.15);display:flex;flex-direction:column}' +
    '#tributary-chat header{background:#2456c7;color:#fff;padding:10px 12px;border-radius:10px 10px 0 0;font-weight:600}' +
    '#tributary-log{height:300px;overflow-y:auto;padding:8px;display:flex;flex-direction:column;gap:6px}' +
    '.tributary-message{max-width:80%;padding:6px 10px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}' +
    '.tributary-message[data-direction=in]{align-self:flex-end;background:#2456c7;color:#fff}' +
    '.tributary-message[data-direction=out]{align-self:flex-start;background:#eef}' +
    '#tributary-chat form{display:flex;border-top:1px solid #ccd}' +
    '#tributary-input{flex:1;border:0;padding:10px;font:inherit;border-radius:0 0 0 10px}' +
    '#tributary-send{border:0;background:#2456c7;color:#fff;padding:0 14px;border-radius:0 0 10px 0;cursor:pointer}' +
    '#tributary-status{font-size:11px;color:#667;padding:2px 10px}' +
    '</style>' +
    '<header id="tributary-title">Chat with us</header>' +
    '<div id="tributary-log" aria-live="polite"></div>' +
    '<div id="tributary-status"></div>' +
    '<form><input id="tributary-input" autocomplete="off" placeholder="Type a message…" maxlength="4000">' +
    '<button id="tributary-send" type="submit">Send</button></form>';
  var log, input, status;

  function mount() {
    document.body.appendChild(root);
    log = root.querySelector("#tributary-log");
    input = root.querySelector("#tributary-input");
    status = root.querySelector("#tributary-status");
    var title = script && script.getAttribute("data-title");
    if (title) root.querySelector("#tributary-title").textContent = title;
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      send({ type: "message", id: newId(), text: text });
    });
    connect();
  }

  function setStatus(text) { status.textContent = text; }

  function render(message) {
    if (seen[message.id]) return;
    seen[message.id] = true;
    var item = document.createElement("div");
    item.className = "tributary-message";
    item.setAttribute("data-id", message.id);
    item.setAttribute("data-direction", message.direction);
    item.setAttribute("data-author", message.author && message.author.role);
    item.textContent = message.text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    if (message.id > lastSeen) lastSeen = message.id;
  }

  function renderPending(frame) {
    var item = document.createElement("div");
    item.className = "tributary-message tributary-pending";
    item.setAttribute("data-client-id", frame.id);
    item.setAttribute("data-direction", "in");
    item.textContent = frame.text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function acknowledged(clientId, receipt) {
    outbox = outbox.filter(function (f) { return f.id !== clientId; });
    if (receipt.visitor && receipt.visitor !== state.visitor) { state.visitor = receipt.visitor; save(); }
    var pending = log.querySelector('[data-client-id="' + clientId + '"]');
    if (pending) {
      pending.classList.remove("tributary-pending");
      pending.setAttribute("data-id", receipt.message);
      seen[receipt.message] = true;
      if (receipt.message > lastSeen) lastSeen = receipt.message;
    }
  }

  // ---- transport ----------------------------------------------------------
  function send(frame) {
    outbox.push(frame);
    renderPending(frame);
    flush();
  }

  function flush() {
    if (socket && socket.readyState === 1) {
      outbox.forEach(function (frame) { socket.send(JSON.stringify(frame)); });
    } else if (root.getAttribute("data-transport") === "http") {
      outbox.slice().forEach(postOverHttp);
    }
  }

  function connect() {
    if (forced === "http" || !("WebSocket" in window)) return useHttp();
    var url = wsBase + "/chat/" + encodeURIComponent(channel) +
      "?visitor=" + encodeURIComponent(state.visitor || "") + "&after=" + lastSeen;
    var opened = false;
    try { socket = new WebSocket(url); } catch (e) { return useHttp(); }
    socket.onopen = function () { opened = true; root.setAttribute("data-transport", "websocket"); setStatus(""); flush(); };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "welcome" && frame.visitor) { state.visitor = frame.visitor; save(); }
      else if (frame.type === "history") frame.messages.forEach(render);
      else if (frame.type === "message") render(frame.message);
      else if (frame.type === "ack") acknowledged(frame.id, frame);
      else if (frame.type === "error") {
        setStatus(frame.message);
        if (frame.error === "invalid_visitor") { state = {}; save(); }
        // Refused over the rate limit: still in the outbox, sent again (same id, so never twice) after a pause.
        if (frame.error === "rate_limited") setTimeout(flush, 2000);
      }
    };
    socket.onclose = function () {
      socket = null;
      if (!opened) return useHttp();
      root.setAttribute("data-transport", "reconnecting");
      setStatus("Reconnecting…");
      setTimeout(connect, 2000);
    };
  }

  function useHttp() {
    root.setAttribute("data-transport", "http");
    setStatus("");
    poll();
    if (!pollTimer) pollTimer = setInterval(poll, 3000);
    flush();
  }

  function postOverHttp(frame) {
    var body = { id: frame.id, text: frame.text };
    if (state.visitor) body.visitor = state.visitor;
    fetch(httpBase + "/chat/" + encodeURIComponent(channel) + "/messages", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) {
        if (response.ok) acknowledged(frame.id, json);
        else setStatus(json.message || "Could not send");
      });
    }).catch(function () { setStatus("Offline; will retry"); });
  }

  function poll() {
    if (!state.visitor) return;
    fetch(httpBase + "/chat/" + encodeURIComponent(channel) + "/messages?visitor=" +
      encodeURIComponent(state.visitor) + "&after=" + lastSeen)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (json) { if (json) json.messages.forEach(render); })
      .catch(function () { setStatus("Offline; will retry"); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
