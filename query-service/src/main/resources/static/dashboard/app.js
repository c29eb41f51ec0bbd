// The Streamdown dashboard: plain browser JavaScript, no build step, no third-party code.
// It reads the query API of the service that serves it (same origin), follows the chosen key's
// windows over the server-sent event stream when the service offers one and polls otherwise.
"use strict";

(() => {
  const API = "api/v1";
  const POLL_MS = 5000;
  const STREAM_RETRY_MS = 15000;
  const TOP_LIMIT = 10;
  const SUGGESTION_LIMIT = 100;
  const KEY_STORAGE = "streamdown.apiKey";
  const SERIES_COLORS = ["var(--c1)", "var(--c2)", "var(--c3)", "var(--c4)"];

  const $ = (id) => document.getElementById(id);
  const els = {
    picker: $("picker"),
    view: $("view"),
    keyFields: $("key-fields"),
    mode: $("mode"),
    state: $("state"),
    stateText: $("state-text"),
    retry: $("retry"),
    auth: $("auth"),
    apiKey: $("api-key"),
    authError: $("auth-error"),
    seriesKey: $("series-key"),
    seriesEmpty: $("series-empty"),
    topWindow: $("top-window"),
    topEmpty: $("top-empty"),
    topBody: document.querySelector("#top-table tbody"),
    topHeads: document.querySelectorAll("#top-table th[data-by]"),
    healthBody: document.querySelector("#health-table tbody"),
    healthChecked: $("health-checked"),
  };

  const state = {
    views: [],
    view: null,
    key: null, // {field: value} of the shown series, or null
    windows: [], // oldest first
    topBy: "count",
    stream: null, // AbortController of the running stream
    streamLive: false,
    streamUnsupported: false,
    pollTimer: null,
    countdownTimer: null,
    failure: null, // the last failure shown in the banner
  };

  // ---------------------------------------------------------------- HTTP

  /** A failed API call: kind is "auth", "unavailable", "http" or "network". */
  class ApiError extends Error {
    constructor(kind, message, status, retryAfter) {
      super(message);
      this.kind = kind;
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  function authHeaders(extra) {
    const headers = Object.assign({ Accept: "application/json" }, extra || {});
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (key) {
      headers.Authorization = "Bearer " + key;
    }
    return headers;
  }

  async function api(path, options) {
    let response;
    try {
      response = await fetch(API + path, {
        headers: authHeaders(),
        cache: "no-store",
        signal: options && options.signal,
      });
    } catch (e) {
      if (e && e.name === "AbortError") {
        throw e;
      }
      throw new ApiError("network", "cannot reach the query service");
    }
    if (response.ok) {
      return response.json();
    }
    const problem = await response.json().catch(() => ({}));
    if (response.status === 401 || response.status === 403) {
      throw new ApiError("auth", problem.detail || "an API key is required", response.status);
    }
    if (response.status === 503) {
      const seconds = parseInt(response.headers.get("Retry-After") || "", 10);
      throw new ApiError(
        "unavailable",
        problem.detail || "the aggregates are not queryable yet",
        503,
        Number.isFinite(seconds) && seconds > 0 ? seconds : 5
      );
    }
    throw new ApiError(
      "http",
      (problem.title ? problem.title + ": " : "") + (problem.detail || "HTTP " + response.status),
      response.status
    );
  }

  function keyQuery(key) {
    const params = new URLSearchParams();
    Object.keys(key).forEach((field) => params.append(field, key[field]));
    return params.toString();
  }

  // ---------------------------------------------------------------- banner

  function setState(kind, text) {
    els.state.dataset.state = kind;
    els.stateText.textContent = text || "";
    els.state.setAttribute("role", kind === "error" || kind === "unavailable" ? "alert" : "status");
    els.retry.hidden = !(kind === "error" || kind === "unavailable");
    document.body.setAttribute("aria-busy", kind === "loading" ? "true" : "false");
  }

  function clearRetry() {
    clearInterval(state.countdownTimer);
    state.countdownTimer = null;
  }

  /** Shows a failure and schedules the next attempt (Retry-After for a 503). */
  function showFailure(error, again) {
    state.failure = error;
    clearRetry();
    if (error.kind === "auth") {
      askForKey(error.status === 403 ? "This key lacks the query scope." : "");
      setState("empty", "Enter an API key to see the aggregates.");
      setMode("offline", "Waiting for an API key");
      return;
    }
    if (error.kind === "http") {
      setState("error", error.message);
      return;
    }
    let seconds = error.kind === "unavailable" ? error.retryAfter : POLL_MS / 1000;
    const describe = () =>
      (error.kind === "unavailable"
        ? "Aggregates not queryable yet (" + error.message + "). "
        : "Cannot reach the query service. ") +
      (seconds > 0 ? "Retrying in " + seconds + " s." : "Retrying…");
    setState(error.kind === "unavailable" ? "unavailable" : "error", describe());
    els.state.dataset.attempt = String(Number(els.state.dataset.attempt || 0) + 1);
    setMode("offline", error.kind === "unavailable" ? "Service unavailable" : "Disconnected");
    // One timer both counts down and retries, so the text never says 0 s for long.
    state.countdownTimer = setInterval(() => {
      seconds -= 1;
      els.stateText.textContent = describe();
      if (seconds <= 0) {
        clearRetry();
        again();
      }
    }, 1000);
  }

  function setMode(mode, text) {
    els.mode.dataset.mode = mode;
    els.mode.textContent = text;
  }

  // ---------------------------------------------------------------- API key

  function askForKey(message) {
    els.auth.hidden = false;
    els.authError.textContent = message || "";
    els.apiKey.focus();
  }

  els.auth.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = els.apiKey.value.trim();
    if (!key) {
      return;
    }
    sessionStorage.setItem(KEY_STORAGE, key);
    els.apiKey.value = "";
    els.auth.hidden = true;
    start();
  });

  // ---------------------------------------------------------------- views and keys

  async function start() {
    clearRetry();
    setState("loading", "Loading views…");
    try {
      state.views = await api("/views");
    } catch (e) {
      showFailure(e, start);
      return;
    }
    els.auth.hidden = true;
    state.failure = null;
    loadHealth();
    const previous = els.view.value;
    els.view.replaceChildren(
      ...state.views.map((view) => {
        const option = document.createElement("option");
        option.value = view.name;
        option.textContent = view.name + " (" + view.groupBy.join(", ") + ")";
        return option;
      })
    );
    els.view.disabled = state.views.length === 0;
    if (state.views.length === 0) {
      setState("empty", "The query service has no views configured.");
      return;
    }
    const wanted = fromHash();
    const name = [wanted.view, previous].find((v) => state.views.some((view) => view.name === v));
    els.view.value = name || state.views[0].name;
    await selectView(wanted.view === els.view.value ? wanted.key : null);
    schedulePoll();
  }

  function fromHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const view = params.get("view");
    params.delete("view");
    const key = {};
    params.forEach((value, field) => (key[field] = value));
    return { view, key: Object.keys(key).length ? key : null };
  }

  function toHash() {
    const params = new URLSearchParams();
    params.set("view", state.view.name);
    if (state.key) {
      Object.keys(state.key).forEach((field) => params.set(field, state.key[field]));
    }
    history.replaceState(null, "", "#" + params.toString());
  }

  function fieldId(field) {
    return "key-" + field.replace(/[^A-Za-z0-9_-]/g, "-");
  }

  /** Builds the key inputs of the chosen view, then suggests keys from its latest window. */
  async function selectView(wantedKey) {
    state.view = state.views.find((view) => view.name === els.view.value);
    stopStream();
    state.key = null;
    state.windows = [];
    els.keyFields.replaceChildren(
      ...state.view.groupBy.map((field) => {
        const wrap = document.createElement("div");
        wrap.className = "field";
        const label = document.createElement("label");
        label.htmlFor = fieldId(field);
        label.textContent = field;
        const input = document.createElement("input");
        input.id = fieldId(field);
        input.name = field;
        input.dataset.field = field;
        input.required = true;
        input.setAttribute("list", fieldId(field) + "-suggestions");
        const list = document.createElement("datalist");
        list.id = fieldId(field) + "-suggestions";
        wrap.append(label, input, list);
        return wrap;
      })
    );
    renderSeries();
    setState("loading", "Loading the latest window of " + state.view.name + "…");
    const top = await loadTop();
    if (!top) {
      return;
    }
    const first = top.entries.length ? top.entries[0].key : null;
    const key = wantedKey || first;
    if (key) {
      state.view.groupBy.forEach((field) => {
        $(fieldId(field)).value = key[field] || "";
      });
      await showKey(readKey());
    } else {
      setState("empty", "No windows in " + state.view.name + " yet. Post events to ingest.");
      toHash();
    }
  }

  function readKey() {
    const key = {};
    for (const field of state.view.groupBy) {
      const value = $(fieldId(field)).value.trim();
      if (!value) {
        return null;
      }
      key[field] = value;
    }
    return key;
  }

  function suggest(entries) {
    state.view.groupBy.forEach((field) => {
      const list = $(fieldId(field) + "-suggestions");
      if (!list) {
        return;
      }
      const values = [...new Set(entries.map((entry) => entry.key[field]))].sort();
      list.replaceChildren(
        ...values.map((value) => {
          const option = document.createElement("option");
          option.value = value;
          return option;
        })
      );
    });
  }

  els.view.addEventListener("change", () => {
    selectView(null);
  });

  els.picker.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = readKey();
    if (key) {
      showKey(key);
    }
  });

  // ---------------------------------------------------------------- the series of one key

  async function showKey(key) {
    stopStream();
    state.key = key;
    state.windows = [];
    toHash();
    els.seriesKey.textContent = Object.keys(key)
      .map((field) => field + "=" + key[field])
      .join(", ");
    markSelectedRow();
    setState("loading", "Loading windows…");
    if (await loadWindows()) {
      startStream();
    }
  }

  async function loadWindows() {
    if (!state.key) {
      return false;
    }
    const view = state.view.name;
    const key = state.key;
    try {
      const response = await api(
        "/views/" + encodeURIComponent(view) + "/windows?" + keyQuery(key)
      );
      if (state.view.name !== view || state.key !== key) {
        return false; // another choice was made meanwhile
      }
      state.windows = response.windows;
      renderSeries();
      if (state.failure && state.failure.kind !== "auth") {
        state.failure = null;
      }
      if (state.windows.length === 0) {
        setState("empty", "No windows for this key yet. Post events to ingest, they show up here.");
      } else {
        setState("ok", "");
      }
      return true;
    } catch (e) {
      showFailure(e, () => showKey(key));
      return false;
    }
  }

  function upsertWindow(window) {
    const i = state.windows.findIndex((w) => w.start === window.start);
    if (i >= 0) {
      state.windows[i] = window;
    } else {
      state.windows.push(window);
      state.windows.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    }
  }

  function removeWindow(start) {
    state.windows = state.windows.filter((w) => w.start !== start);
  }

  // ---------------------------------------------------------------- live updates

  function stopStream() {
    if (state.stream) {
      state.stream.abort();
      state.stream = null;
    }
    state.streamLive = false;
  }

  /**
   * Follows /stream with fetch rather than EventSource, because an EventSource cannot send the
   * API key. Without a stream endpoint (or while it fails) the page polls instead.
   */
  async function startStream() {
    stopStream();
    if (state.streamUnsupported || !state.key || !window.ReadableStream || !window.TextDecoder) {
      setMode("polling", "Polling every " + POLL_MS / 1000 + " s");
      return;
    }
    const controller = new AbortController();
    state.stream = controller;
    const view = state.view.name;
    const url = API + "/views/" + encodeURIComponent(view) + "/stream?" + keyQuery(state.key);
    try {
      const response = await fetch(url, {
        headers: authHeaders({ Accept: "text/event-stream" }),
        cache: "no-store",
        signal: controller.signal,
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.startsWith("text/event-stream")) {
        if (response.status === 404 || response.status === 405 || response.status === 406) {
          state.streamUnsupported = true;
        }
        controller.abort();
        streamEnded(controller);
        return;
      }
      state.streamLive = true;
      setMode("live", "Live");
      // Whatever changed between the last read and the stream's start is read once more.
      loadWindows();
      await readEvents(response.body.getReader(), controller);
    } catch (e) {
      // Aborted on purpose, or the connection broke: either way the stream is over.
    }
    streamEnded(controller);
  }

  function streamEnded(controller) {
    if (state.stream !== controller) {
      return; // replaced by a newer stream
    }
    state.stream = null;
    state.streamLive = false;
    setMode("polling", "Polling every " + POLL_MS / 1000 + " s");
    if (!state.streamUnsupported) {
      setTimeout(() => {
        if (!state.stream && state.key && !state.failure) {
          startStream();
        }
      }, STREAM_RETRY_MS);
    }
  }

  async function readEvents(reader, controller) {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done || controller.signal.aborted) {
        return;
      }
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block);
      }
    }
  }

  /** One server-sent event block: "event: x" and "data: ..." lines; ":" lines are heartbeats. */
  function dispatch(block) {
    let event = "message";
    const data = [];
    block.split("\n").forEach((line) => {
      if (line.startsWith(":")) {
        return;
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") {
        event = value;
      } else if (field === "data") {
        data.push(value);
      }
    });
    if (data.length === 0) {
      return;
    }
    let payload;
    try {
      payload = JSON.parse(data.join("\n"));
    } catch (e) {
      return;
    }
    if (event === "window" && payload && payload.start) {
      upsertWindow(payload);
    } else if (event === "removed" && payload && payload.start) {
      removeWindow(payload.start);
    } else {
      return;
    }
    renderSeries();
    setState(state.windows.length ? "ok" : "empty", state.windows.length ? "" : "No windows.");
  }

  // ---------------------------------------------------------------- polling

  function schedulePoll() {
    clearTimeout(state.pollTimer);
    state.pollTimer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    try {
      loadHealth();
      if (state.failure || !state.view) {
        return; // the banner's retry is in charge
      }
      const jobs = [loadTop()];
      if (state.key && !state.streamLive) {
        jobs.push(loadWindows());
      }
      await Promise.all(jobs);
      if (state.key && !state.stream && !state.streamUnsupported && !state.failure) {
        startStream();
      }
    } finally {
      schedulePoll();
    }
  }

  // ---------------------------------------------------------------- top-N

  async function loadTop() {
    const view = state.view.name;
    const by = state.topBy;
    let top;
    try {
      top = await api(
        "/views/" + encodeURIComponent(view) + "/top?by=" + by + "&limit=" + TOP_LIMIT
      );
    } catch (e) {
      showFailure(e, start);
      return null;
    }
    if (state.view.name !== view) {
      return null;
    }
    renderTop(top);
    if (by === "count") {
      suggestFrom(view, top);
    }
    return top;
  }

  /** Suggestions come from more keys of the latest window than the table shows. */
  async function suggestFrom(view, top) {
    suggest(top.entries);
    if (top.entries.length < TOP_LIMIT) {
      return;
    }
    try {
      const more = await api(
        "/views/" + encodeURIComponent(view) + "/top?by=count&limit=" + SUGGESTION_LIMIT
      );
      if (state.view.name === view) {
        suggest(more.entries);
      }
    } catch (e) {
      // Suggestions are a convenience; the table's keys are suggested already.
    }
  }

  function renderTop(top) {
    els.topHeads.forEach((th) =>
      th.setAttribute("aria-sort", th.dataset.by === top.by ? "descending" : "none")
    );
    els.topWindow.textContent = top.windowStart
      ? "Window " + formatTime(top.windowStart) + " – " + formatTime(top.windowEnd) +
        (top.partial ? " (partial: some partitions did not answer)" : "")
      : "";
    els.topEmpty.hidden = top.entries.length > 0;
    els.topEmpty.textContent = "No windows in this view yet.";
    els.topBody.replaceChildren(
      ...top.entries.map((entry) => {
        const row = document.createElement("tr");
        row.dataset.key = JSON.stringify(entry.key);
        const keyText = Object.keys(entry.key)
          .map((field) => entry.key[field])
          .join(" · ");
        const rank = cell(String(entry.rank));
        const keyCell = document.createElement("td");
        const link = document.createElement("button");
        link.type = "button";
        link.className = "key-link";
        link.textContent = keyText;
        link.setAttribute("aria-label", "Show windows of " + keyText);
        link.addEventListener("click", () => {
          state.view.groupBy.forEach((field) => ($(fieldId(field)).value = entry.key[field]));
          showKey(Object.assign({}, entry.key));
        });
        keyCell.append(link);
        row.append(
          rank,
          keyCell,
          cell(formatNumber(entry.count), "num", "count"),
          cell(formatNumber(entry.sum), "num", "sum"),
          cell(formatNumber(entry.max), "num", "max"),
          cell(formatNumber(entry.p99), "num", "p99")
        );
        return row;
      })
    );
    markSelectedRow();
  }

  function markSelectedRow() {
    const selected = state.key ? JSON.stringify(sortedKey(state.key)) : null;
    els.topBody.querySelectorAll("tr").forEach((row) => {
      const same = selected && JSON.stringify(sortedKey(JSON.parse(row.dataset.key))) === selected;
      row.dataset.selected = same ? "true" : "false";
    });
  }

  function sortedKey(key) {
    const sorted = {};
    Object.keys(key)
      .sort()
      .forEach((k) => (sorted[k] = key[k]));
    return sorted;
  }

  function cell(text, className, metric) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    if (metric) {
      td.dataset.metric = metric;
    }
    return td;
  }

  els.topHeads.forEach((th) =>
    th.querySelector("button").addEventListener("click", () => {
      state.topBy = th.dataset.by;
      if (state.view) {
        loadTop();
      }
    })
  );

  // ---------------------------------------------------------------- pipeline health

  async function loadHealth() {
    let pipeline;
    try {
      pipeline = await api("/pipeline");
    } catch (e) {
      // Old rows would claim a state nobody can vouch for now.
      els.healthChecked.textContent = "Pipeline health unavailable: " + e.message;
      els.healthBody.replaceChildren();
      return;
    }
    els.healthChecked.textContent = "Checked " + formatTime(pipeline.checkedAt);
    els.healthBody.replaceChildren(
      ...pipeline.services.map((service) => {
        const row = document.createElement("tr");
        row.dataset.service = service.name;
        const name = cell(service.name);
        const status = document.createElement("td");
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.dataset.status = service.status;
        badge.textContent = service.status;
        if (service.error) {
          badge.title = service.error;
        }
        status.append(badge);
        row.append(
          name,
          status,
          cell(formatSeconds(service.freshnessP99Seconds), "num"),
          cell(formatNumber(service.lateEvents), "num"),
          cell(formatNumber(service.deadLetters), "num")
        );
        return row;
      })
    );
  }

  // ---------------------------------------------------------------- charts

  function renderSeries() {
    const windows = state.windows;
    const at = (w) => Date.parse(w.start);
    const valued = windows.filter((w) => w.valueCount > 0);
    els.seriesEmpty.hidden = windows.length > 0 || !state.key;
    els.seriesEmpty.textContent = "No windows for this key yet.";
    chart($("chart-count"), [
      { name: "count", color: SERIES_COLORS[0], points: windows.map((w) => [at(w), w.count]) },
    ]);
    chart($("chart-mean"), [
      { name: "mean", color: SERIES_COLORS[1], points: valued.map((w) => [at(w), w.mean]) },
    ]);
    chart($("chart-quantiles"), [
      { name: "p50", color: SERIES_COLORS[0], points: valued.map((w) => [at(w), w.p50]) },
      { name: "p90", color: SERIES_COLORS[2], points: valued.map((w) => [at(w), w.p90]) },
      { name: "p99", color: SERIES_COLORS[3], points: valued.map((w) => [at(w), w.p99]) },
    ]);
    const count = $("chart-count");
    count.dataset.totalCount = String(windows.reduce((sum, w) => sum + w.count, 0));
  }

  const SVG = "http://www.w3.org/2000/svg";

  function svgEl(name, attributes, text) {
    const el = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach((a) => el.setAttribute(a, attributes[a]));
    if (text !== undefined) {
      el.textContent = text;
    }
    return el;
  }

  /** A line chart of one or more series of [time, value] points, drawn as SVG. */
  function chart(svg, series) {
    const desc = svg.querySelector("desc");
    const width = Math.max(240, Math.round(svg.getBoundingClientRect().width) || 400);
    const height = Math.max(120, Math.round(svg.getBoundingClientRect().height) || 190);
    const pad = { left: 48, right: 12, top: 18, bottom: 22 };
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    [...svg.childNodes].forEach((node) => node !== desc && node.remove());
    const points = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p[1]));
    svg.dataset.points = String(series[0].points.length);
    if (points.length === 0) {
      desc.textContent = "No data";
      svg.append(
        svgEl("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "tick" },
          "No data")
      );
      return;
    }
    const times = points.map((p) => p[0]);
    let t0 = Math.min(...times);
    let t1 = Math.max(...times);
    if (t0 === t1) {
      t0 -= 30000;
      t1 += 30000;
    }
    const values = points.map((p) => p[1]);
    const [v0, v1, step] = niceRange(Math.min(0, ...values), Math.max(...values));
    const x = (t) => pad.left + ((t - t0) / (t1 - t0)) * (width - pad.left - pad.right);
    const y = (v) => height - pad.bottom - ((v - v0) / (v1 - v0)) * (height - pad.top - pad.bottom);

    for (let v = v0; v <= v1 + step / 2; v += step) {
      svg.append(
        svgEl("line", { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: "axis" }),
        svgEl("text", { x: pad.left - 6, y: y(v) + 3, "text-anchor": "end", class: "tick" },
          formatNumber(v))
      );
    }
    const ticks = Math.max(2, Math.min(6, Math.floor((width - pad.left - pad.right) / 90)));
    for (let i = 0; i < ticks; i++) {
      const t = t0 + ((t1 - t0) * i) / (ticks - 1);
      svg.append(
        svgEl("text", { x: x(t), y: height - 6, "text-anchor": "middle", class: "tick" },
          formatClock(t))
      );
    }
    const summary = [];
    series.forEach((s, i) => {
      const valid = s.points.filter((p) => Number.isFinite(p[1]));
      if (valid.length === 0) {
        return;
      }
      const path = valid.map((p, j) => (j ? "L" : "M") + x(p[0]).toFixed(1) + " " +
        y(p[1]).toFixed(1)).join(" ");
      svg.append(svgEl("path", { d: path, class: "line", stroke: s.color }));
      const last = valid[valid.length - 1];
      svg.append(svgEl("circle", { cx: x(last[0]), cy: y(last[1]), r: 3, fill: s.color }));
      if (series.length > 1) {
        svg.append(svgEl("text", { x: pad.left + 4 + i * 44, y: 10, class: "legend",
          fill: s.color }, "● " + s.name));
      }
      summary.push(s.name + " " + formatNumber(last[1]));
    });
    desc.textContent =
      series[0].points.length + " windows from " + formatClock(t0) + " to " + formatClock(t1) +
      "; latest " + summary.join(", ");
  }

  function niceRange(min, max) {
    if (min === max) {
      max = min + 1;
    }
    const raw = (max - min) / 4;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
    return [Math.floor(min / step) * step, Math.ceil(max / step) * step, step];
  }

  // ---------------------------------------------------------------- formatting

  function formatNumber(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) {
      return "–";
    }
    const abs = Math.abs(value);
    if (abs !== 0 && (abs >= 1e6 || abs < 0.01)) {
      return value.toExponential(2);
    }
    return value.toLocaleString("en-US", { maximumFractionDigits: abs >= 100 ? 0 : 2 });
  }

  function formatSeconds(seconds) {
    if (seconds === null || seconds === undefined) {
      return "–";
    }
    return seconds < 1 ? Math.round(seconds * 1000) + " ms" : seconds.toFixed(2) + " s";
  }

  function formatClock(millis) {
    return new Date(millis).toISOString().slice(11, 19);
  }

  function formatTime(text) {
    return text ? text.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC") : "";
  }

  // ---------------------------------------------------------------- start

  els.retry.addEventListener("click", () => {
    clearRetry();
    state.failure = null;
    if (state.view && state.key) {
      showKey(state.key);
    } else {
      start();
    }
  });

  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(renderSeries, 150);
  });

  loadHealth();
  start();
})();
