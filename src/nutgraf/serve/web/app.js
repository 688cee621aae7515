// nutgraf's page: plain DOM, no framework. Story text only ever goes into text nodes
// (textContent, createTextNode): nothing from a story or the API is parsed as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new Error("the server cannot be reached (" + error.message + ")");
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    // not JSON: fall through to the status line
  }
  if (!response.ok) {
    const message = data && typeof data.error === "string" ? data.error : response.statusText;
    throw new Error(message || "HTTP " + response.status);
  }
  return data;
}

function say(node, message, isError = false) {
  node.textContent = message;
  node.classList.toggle("error", isError);
}

// ---- the story and its marks ----------------------------------------------------------

let current = null; // {text, highlights, figures}
let pinned = null; // the bullet index selected by a click, or null

// The API's offsets count characters (code points); a JavaScript string counts UTF-16 units,
// one more for every character outside the Basic Multilingual Plane (an emoji). This maps the
// first to the second, once per story.
function unitOffsets(text) {
  const offsets = [0];
  let unit = 0;
  for (const ch of text) {
    unit += ch.length;
    offsets.push(unit);
  }
  return offsets;
}

// Split the text at every span boundary; each piece covered by a bullet's span becomes a
// <mark> listing the bullets it belongs to, so that marking a bullet is toggling a class.
function renderStory(text, highlights, figures) {
  const story = $("story");
  story.replaceChildren();
  const offsets = unitOffsets(text);
  const unit = (point) => offsets[Math.max(0, Math.min(offsets.length - 1, point))];
  const cuts = new Set([0, text.length]);
  const ranges = [];
  highlights.forEach((h, i) => {
    for (const [start, end] of h.spans) ranges.push({ start: unit(start), end: unit(end), key: "b" + i });
  });
  figures.forEach((f, i) => ranges.push({ start: unit(f.start), end: unit(f.end), key: "f" + i }));
  for (const r of ranges) {
    cuts.add(Math.max(0, Math.min(text.length, r.start)));
    cuts.add(Math.max(0, Math.min(text.length, r.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  for (let k = 0; k + 1 < points.length; k++) {
    const [start, end] = [points[k], points[k + 1]];
    const piece = text.slice(start, end);
    const keys = ranges.filter((r) => r.start <= start && end <= r.end).map((r) => r.key);
    if (keys.length === 0) {
      story.append(document.createTextNode(piece));
    } else {
      const mark = el("mark", { text: piece });
      mark.dataset.keys = keys.join(" ");
      if (keys.some((key) => key.startsWith("b"))) mark.classList.add("source");
      story.append(mark);
    }
  }
}

function showKey(key) {
  const story = $("story");
  let first = null;
  for (const mark of story.querySelectorAll("mark")) {
    const on = key !== null && mark.dataset.keys.split(" ").includes(key);
    mark.classList.toggle("on", on);
    if (on && first === null) first = mark;
  }
  for (const li of $("bullets").children) {
    li.classList.toggle("active", key === "b" + li.dataset.index);
  }
  for (const tr of $("figures").tBodies[0].rows) {
    tr.classList.toggle("active", key === "f" + tr.dataset.index);
  }
  if (first !== null) {
    // Scroll the story box only, not the page.
    const top = first.offsetTop - story.offsetTop;
    if (top < story.scrollTop || top > story.scrollTop + story.clientHeight - 40) {
      story.scrollTo({ top: Math.max(0, top - story.clientHeight / 3), behavior: "auto" });
    }
  }
}

function restore() {
  showKey(pinned === null ? null : "b" + pinned);
}

function attach(node, key, index) {
  node.tabIndex = 0;
  node.addEventListener("mouseenter", () => showKey(key));
  node.addEventListener("mouseleave", restore);
  node.addEventListener("focus", () => showKey(key));
  node.addEventListener("blur", restore);
  const choose = () => {
    if (index === null) return showKey(key);
    pinned = pinned === index ? null : index;
    for (const li of $("bullets").children) {
      li.setAttribute("aria-pressed", String(Number(li.dataset.index) === pinned));
    }
    restore();
  };
  node.addEventListener("click", choose);
  node.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      choose();
    }
  });
}

function show(record, label) {
  current = record;
  pinned = null;
  $("empty").hidden = true;
  $("result").hidden = false;
  $("title").textContent = [record.title, label].filter(Boolean).join(" · ");
  $("title").hidden = !$("title").textContent;

  const bullets = $("bullets");
  bullets.replaceChildren();
  record.highlights.forEach((h, i) => {
    const li = el("li", { text: h.text, role: "button", "aria-pressed": "false" });
    li.dataset.index = String(i);
    if (h.sources && h.sources.length) {
      li.append(el("span", { className: "credit", text: "Credits " + h.sources.join("; ") }));
    }
    attach(li, "b" + i, i);
    bullets.append(li);
  });

  const figures = record.figures || [];
  const body = $("figures").tBodies[0];
  body.replaceChildren();
  figures.forEach((f, i) => {
    const tr = el(
      "tr",
      {},
      el("td", { className: "figure", text: f.text }),
      el("td", { text: f.counts }),
      el("td", { className: f.source ? "" : "none", text: f.source || "stated by the story" }),
    );
    tr.dataset.index = String(i);
    tr.title = f.sentence;
    attach(tr, "f" + i, null);
    body.append(tr);
  });
  $("figure-count").textContent = figures.length ? "(" + figures.length + ")" : "";
  $("figures").hidden = figures.length === 0;
  $("no-figures").hidden = figures.length !== 0;

  renderStory(record.text, record.highlights, figures);
  $("story").scrollTop = 0;
}

// Whatever a request failed on, nothing of the story shown before it may stay on screen:
// bullets under an error read as the bullets of the story that failed.
function clear() {
  current = null;
  pinned = null;
  $("result").hidden = true;
  $("empty").hidden = false;
  for (const id of ["title", "bullets", "story", "figure-count"]) $(id).replaceChildren();
  $("figures").tBodies[0].replaceChildren();
}

function fail(message) {
  clear();
  say($("status"), message, true);
}

// ---- input ---------------------------------------------------------------------------

// The format select belongs to the text in the box: a user's pick, or after an answer the form
// the server read, holds for that text only. New text (pasted, dropped, opened, typed over the
// whole box, or the box emptied) goes back to "guess", so that the HTML read of one story is
// never forced on the plain story pasted after it.
function replaced() {
  $("story-format").value = "";
}

function readAs(format) {
  const select = $("story-format");
  select.value = format;
  if (select.value !== format) select.value = "";
}

// Each request takes a ticket and only the latest may change the result or the status: a
// stored story opened while another is read must not be replaced by the older answer.
let asked = 0;

// An opened web page: its source, and the article text the box shows. Until the box is edited
// the page itself is what is read again or stored, so that its headline stays its title and
// out of its body; an edit makes the box's text the story.
let opened = null;

function request() {
  const text = $("story-text").value;
  if (opened !== null && text === opened.text) return { text: opened.html, format: "html" };
  const body = { text };
  const format = $("story-format").value;
  if (format) body.format = format;
  return body;
}

// The box, the format, "Whole sentences" and the file picker are locked while their text is
// read, so that the answer, and the format it sets, are for the text and the choices still
// shown. The request that locked them unlocks them: an older one finishing late leaves the
// lock to the newer.
let lockedBy = 0;
const LOCKED = ["highlight", "store", "story-file", "story-format", "story-whole"];

function lock(ticket) {
  lockedBy = ticket;
  for (const id of LOCKED) $(id).disabled = true;
  $("story-text").readOnly = true;
}

function unlock(ticket) {
  if (ticket !== lockedBy) return;
  lockedBy = 0;
  for (const id of LOCKED) $(id).disabled = false;
  $("story-text").readOnly = false;
}

function plural(count, noun) {
  return count + " " + noun + (count === 1 ? "" : "s");
}

// The bullets are cut to the editors' length unless "Whole sentences" is checked. Like the
// format, the field is sent only when it is not the API's default, and only to the endpoints
// that write bullets: /v1/figures takes no such field.
function bullets(body) {
  return $("story-whole").checked ? { ...body, compress: false } : body;
}

async function read(body) {
  const [story, figures] = await Promise.all([
    api("POST", "/v1/highlights", bullets(body)),
    api("POST", "/v1/figures", body),
  ]);
  return { ...story, figures: figures.figures };
}

async function highlight() {
  const mine = ++asked;
  const body = request();
  if (!body.text.trim()) return fail("Paste a story first.");
  lock(mine);
  say($("status"), "Reading the story…");
  try {
    const record = await read(body);
    if (mine !== asked) return;
    show(record);
    readAs(record.format);
    say($("status"), plural(record.highlights.length, "highlight") + ". Not stored.");
  } catch (error) {
    if (mine === asked) fail(error.message);
  } finally {
    unlock(mine);
  }
}

async function store() {
  const mine = ++asked;
  const body = request();
  if (!body.text.trim()) return fail("Paste a story first.");
  lock(mine);
  say($("status"), "Reading and storing the story…");
  try {
    const stored = await api("POST", "/v1/stories", bullets(body));
    if (mine === asked) {
      show(stored.story, "stored as #" + stored.id);
      readAs(stored.story.format);
      say($("status"), "Stored as #" + stored.id + ".");
    }
    await search();
  } catch (error) {
    if (mine === asked) fail(error.message);
  } finally {
    unlock(mine);
  }
}

// A page's source is not what an editor reads, and its offsets are not the marks': the page
// is read at once and the box gets the article text the server extracted (see `opened`).
// Pasting HTML and choosing "HTML" still sends the source as it is.
async function openPage(name, html) {
  const mine = ++asked;
  lock(mine);
  say($("status"), "Reading the article in " + name + "…");
  try {
    const record = await read({ text: html, format: "html" });
    if (mine !== asked) return;
    $("story-text").value = record.text;
    opened = { html, text: record.text };
    readAs(record.format);
    show(record);
    say($("status"), "Opened " + name + ": read " + plural(record.highlights.length, "highlight")
      + " from its article. Not stored.");
  } catch (error) {
    if (mine === asked) fail("Cannot open " + name + ": " + error.message);
  } finally {
    unlock(mine);
  }
}

// The server's own test (ingest.detect_format), for a page saved under another name.
function isHtml(text) {
  const head = text.slice(0, 4096).trimStart();
  return /^(?:<!doctype\s+html|<html[\s>])/i.test(head)
    || (head.startsWith("<") && /<(?:head|body|div|p|article|meta|title)[\s>/]/i.test(head));
}

function load(file) {
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => {
    // Read while another story was being read: the box is that story's until its answer.
    if (lockedBy) {
      return say($("status"), "Open " + file.name + " again once this story is read.", true);
    }
    const text = reader.result;
    if (/\.html?$/i.test(file.name) || file.type === "text/html" || isHtml(text)) {
      return openPage(file.name, text);
    }
    $("story-text").value = text;
    opened = null;
    replaced();
    say($("status"), "Opened " + file.name + ".");
  };
  reader.onerror = () => say($("status"), "Cannot read " + file.name + ".", true);
  reader.readAsText(file);
}

// ---- stored stories --------------------------------------------------------------------

// Plain words are quoted, so that "U.S." or "covid-19" is searched as typed rather than read
// as FTS5 syntax; a query that already uses the syntax (quotes, *, column:, AND/OR/NOT,
// parentheses) is sent as it is, and the API's message shown if FTS5 cannot parse it.
function ftsQuery(typed) {
  const words = typed.trim().split(/\s+/).filter(Boolean);
  const syntax = /["*():^]/.test(typed) || words.some((w) => /^(AND|OR|NOT|NEAR)$/.test(w));
  if (syntax) return typed.trim();
  return words.map((w) => '"' + w + '"').join(" ");
}

const PAGE = 20;
let shown = 0;

async function search(more = false) {
  const results = $("results");
  const typed = $("search").value;
  if (!more) shown = 0;
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(shown) });
  const q = ftsQuery(typed);
  if (q) params.set("q", q);
  try {
    const page = await api("GET", "/v1/stories?" + params);
    if (!more) results.replaceChildren();
    for (const s of page.stories) {
      const open = el("button", { type: "button", className: "open" });
      open.append(
        el("span", { className: "name", text: s.title || s.highlights[0] || "Untitled" }),
        el("span", { className: "meta", text: "#" + s.id + " · " + when(s.created) }),
      );
      if (s.title && s.highlights.length) {
        open.append(el("span", { className: "lede", text: s.highlights[0] }));
      }
      open.addEventListener("click", () => openStored(s.id));
      results.append(el("li", {}, open));
    }
    shown += page.stories.length;
    $("more").hidden = shown >= page.total;
    const what = typed.trim() ? " matching " + JSON.stringify(typed.trim()) : "";
    say($("search-status"), page.total === 0
      ? (what ? "No stored story" + what + "." : "No stories stored yet.")
      : page.total + (page.total === 1 ? " story" : " stories") + what + ", newest first.");
  } catch (error) {
    if (!more) results.replaceChildren();
    $("more").hidden = true;
    say($("search-status"), error.message, true);
  }
}

function when(created) {
  const date = new Date(created);
  return isNaN(date) ? created : date.toLocaleString(undefined, {
    dateStyle: "medium", timeStyle: "short",
  });
}

async function openStored(id) {
  const mine = ++asked;
  say($("status"), "Opening #" + id + "…");
  try {
    const stored = await api("GET", "/v1/stories/" + id);
    if (mine !== asked) return;
    show(stored.story, "stored #" + id);
    say($("status"), "Showing stored story #" + id + ".");
    if (window.matchMedia("(max-width: 60rem)").matches) $("output").scrollIntoView();
  } catch (error) {
    if (mine === asked) fail(error.message);
  }
}

// ---- wiring ----------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("story-form").addEventListener("submit", (event) => {
    event.preventDefault();
    highlight();
  });
  $("store").addEventListener("click", store);
  // A format picked by hand is for the box's text as it stands, an opened page's too.
  $("story-format").addEventListener("change", () => {
    opened = null;
  });
  $("story-file").addEventListener("change", (event) => {
    load(event.target.files[0]);
    event.target.value = ""; // so that opening the same file again is a change too
  });
  const area = $("story-text");
  let whole = false;
  area.addEventListener("beforeinput", () => {
    whole = area.value !== "" && area.selectionStart === 0
      && area.selectionEnd === area.value.length;
  });
  area.addEventListener("input", (event) => {
    // Pasted or dropped text comes from elsewhere, in whatever form: it is guessed afresh.
    const kind = event.inputType;
    if (opened !== null) {
      // An edited page is the box's text now, whatever was read from the page.
      opened = null;
      replaced();
    }
    if (whole || kind === "insertFromPaste" || kind === "insertFromDrop" || !area.value.trim()) {
      replaced();
    }
    whole = false;
  });
  area.addEventListener("dragover", (event) => {
    event.preventDefault();
    area.classList.add("dragging");
  });
  area.addEventListener("dragleave", () => area.classList.remove("dragging"));
  area.addEventListener("drop", (event) => {
    area.classList.remove("dragging");
    if (event.dataTransfer.files.length === 0) return; // dropped text: the default inserts it
    event.preventDefault();
    if (!lockedBy) load(event.dataTransfer.files[0]);
  });
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  $("more").addEventListener("click", () => search(true));
  search();
});
