// ecocheck workbench: the page.  Talks only to this server's own /api/ (see docs/web-api.md).
// Document text is put into the page with textContent only, never parsed as HTML.
"use strict";

const SEV = {error: "错误", warning: "警告", info: "提示"};
const SEV_ORDER = ["error", "warning", "info"];
// a genre's Chinese name comes with the outline (genre_detection.label, from the genre profiles, which
// plugins and the config may add to); these are only for an answer without it
const GENRE = {report: "政治生态报告", "self-review": "对照检查材料", speech: "讲话稿", general: "一般文稿"};

function genreName(entry) {
  const ol = entry.data && entry.data.outline;
  const genre = ol ? ol.genre : entry.data && entry.data.report.files[0].genre;
  if (!genre) return null;
  const detection = ol && ol.genre_detection;
  return (detection && detection.genre === genre && detection.label) || GENRE[genre] || genre;
}
const ROLE = {overview: "基本情况", problems: "存在问题", causes: "原因分析", measures: "整改措施", other: "其他"};
const FAMILY = {E: "无法读取", S: "结构", P: "问题与措施对应", H: "占位符与残留", T: "标点与排版",
                W: "用词", C: "一致性", F: "公文格式"};

const state = {files: [], active: -1, selected: null, explain: {}};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const $ = (id) => document.getElementById(id);

function setStatus(text, kind) {
  const s = $("status");
  s.textContent = text || "";
  s.className = kind || "";
}

// ---------------------------------------------------------------------------
// Uploads

async function post(path, file) {
  const form = new FormData();
  form.append("file", file, file.name);
  return fetch(path, {method: "POST", body: form, credentials: "same-origin"});
}

async function errorOf(resp) {
  try {
    const body = await resp.json();
    if (body && body.error) return `${body.error.code} ${body.error.message}`;
  } catch (e) { /* not JSON */ }
  return `服务器返回 ${resp.status}`;
}

async function check(files) {
  const list = Array.from(files);
  if (!list.length) return;
  let first = -1;
  for (let i = 0; i < list.length; i++) {
    const file = list[i];
    setStatus(`正在检查 ${file.name}（${i + 1}/${list.length}）…`, "busy");
    const entry = {name: file.name, file: file, data: null, error: null};
    try {
      const resp = await post("/api/lint", file);
      if (resp.status === 200 || resp.status === 422) {
        const body = await resp.json();
        if (body.report) {
          entry.data = body;
          if (body.error) entry.error = `${body.error.code} ${body.error.message}`;
        } else {
          entry.error = body.error ? `${body.error.code} ${body.error.message}` : `服务器返回 ${resp.status}`;
        }
      } else {
        entry.error = await errorOf(resp);
      }
    } catch (e) {
      entry.error = "无法连接到 ecocheck 服务，请确认命令行窗口中的 ecocheck serve 仍在运行";
    }
    const existing = state.files.findIndex((f) => f.name === entry.name);
    if (existing >= 0) state.files[existing] = entry; else state.files.push(entry);
    if (first < 0) first = existing >= 0 ? existing : state.files.length - 1;
  }
  setStatus(list.length > 1 ? `已检查 ${list.length} 个文件。` : "", "");
  show(first);
}

async function download(kind) {
  const entry = state.files[state.active];
  if (!entry) return;
  const path = kind === "annotate" ? "/api/annotate" : "/api/fix";
  setStatus(kind === "annotate" ? "正在生成批注版…" : "正在生成修复版…", "busy");
  try {
    const resp = await post(path, entry.file);
    if (!resp.ok) {
      setStatus(await errorOf(resp), "bad");
      return;
    }
    const blob = await resp.blob();
    const name = fileName(resp.headers.get("content-disposition")) || entry.name;
    const url = URL.createObjectURL(blob);
    const a = el("a", {href: url, download: name});
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    if (kind === "annotate") {
      setStatus(`已下载批注版 ${name}（${resp.headers.get("x-ecocheck-comments") || 0} 条批注）。`, "ok");
    } else {
      const n = resp.headers.get("x-ecocheck-fixes") || "0";
      setStatus(n === "0" ? `没有可自动修复的问题，已下载原样副本 ${name}。` : `已下载修复版 ${name}（自动修复 ${n} 处）。`, "ok");
    }
  } catch (e) {
    setStatus("下载失败：无法连接到 ecocheck 服务", "bad");
  }
}

function fileName(disposition) {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain ? plain[1] : null;
}

// ---------------------------------------------------------------------------
// Rendering one checked file

function findingsOf(entry) {
  const file = entry.data && entry.data.report.files[0];
  return file ? file.findings.map((f, i) => Object.assign({id: i}, f)) : [];
}

function filters() {
  const on = (sel) => new Set(Array.from(document.querySelectorAll(sel)).filter((c) => c.checked).map((c) => c.value));
  return {sev: on("#filter-sev input"), fam: on("#filter-fam input")};
}

function visible(f, flt) {
  return flt.sev.has(f.severity) && flt.fam.has(f.code[0]);
}

function show(index) {
  state.active = index;
  state.selected = null;
  $("drop").classList.add("compact");
  renderTabs();
  const entry = state.files[index];
  $("result").hidden = !entry;
  if (!entry) return;
  if (entry.error && !(entry.data && entry.data.document.length)) {
    setStatus(`${entry.name}：${entry.error}`, "bad");
  }
  renderFilters(entry);
  renderAll();
}

function renderAll() {
  const entry = state.files[state.active];
  const all = findingsOf(entry);
  const flt = filters();
  const shown = all.filter((f) => visible(f, flt));
  renderSummary(entry, all);
  renderDocument(entry, shown);
  renderList(shown, all.length);
  renderOutline(entry, all);
  $("dl-annotate").disabled = $("dl-fix").disabled = !!entry.error;
}

function renderTabs() {
  const tabs = $("tabs");
  tabs.replaceChildren();
  if (state.files.length < 2) return;
  state.files.forEach((f, i) => {
    const n = findingsOf(f).length;
    tabs.append(el("button", {type: "button", role: "tab", "aria-selected": i === state.active ? "true" : "false",
                              class: i === state.active ? "tab active" : "tab", onclick: () => show(i)},
                   f.name, el("span", {class: "count"}, f.error ? "!" : String(n))));
  });
}

function renderSummary(entry, all) {
  const box = $("summary");
  const counts = {error: 0, warning: 0, info: 0};
  all.forEach((f) => { counts[f.severity] += 1; });
  const fails = counts.error + counts.warning > 0;
  const verdict = entry.error ? el("p", {class: "verdict bad"}, "无法检查")
    : el("p", {class: fails ? "verdict bad" : "verdict ok"}, fails ? "需要修改" : "通过",
         el("span", {}, fails ? `共 ${all.length} 处问题` : (all.length ? `${all.length} 条提示` : "没有发现问题")));
  const sev = el("ul", {class: "counts"}, SEV_ORDER.map((s) =>
    el("li", {class: `sev-${s}`}, el("b", {}, String(counts[s])), SEV[s])));
  const genre = genreName(entry);
  box.replaceChildren(el("h2", {class: "filename", title: entry.name}, entry.name),
                      genre ? el("p", {class: "genre"}, `文种：${genre}`) : null,
                      verdict, sev);
  if (entry.error) box.append(el("p", {class: "error-box"}, entry.error));
}

function renderFilters(entry) {
  const all = findingsOf(entry);
  const fams = {};
  all.forEach((f) => { fams[f.code[0]] = (fams[f.code[0]] || 0) + 1; });
  const sevCounts = {error: 0, warning: 0, info: 0};
  all.forEach((f) => { sevCounts[f.severity] += 1; });
  const box = (value, label, n, cls) => el("label", {class: `chip ${cls || ""}`},
    el("input", {type: "checkbox", value: value, checked: true, onchange: renderAll}), label,
    el("span", {class: "count"}, String(n)));
  $("filter-sev").replaceChildren(el("span", {class: "flabel"}, "级别"),
    ...SEV_ORDER.map((s) => box(s, SEV[s], sevCounts[s], `sev-${s}`)));
  $("filter-fam").replaceChildren(el("span", {class: "flabel"}, "类别"),
    ...Object.keys(fams).sort().map((k) => box(k, FAMILY[k] || k, fams[k])));
}

// Character offsets of a finding within its paragraph: [start, end) or null for the whole paragraph.
function span(f, para) {
  const off = para.offset || 0;
  const start = f.column - 1 - off;
  const end = f.end_line === f.line ? f.end_column - 1 - off : para.text.length;
  if (!f.text || end <= start) return null;
  return [Math.max(0, start), Math.min(para.text.length, end)];
}

function worst(list) {
  for (const s of SEV_ORDER) if (list.some((f) => f.severity === s)) return s;
  return "info";
}

function renderParagraph(para, found) {
  const spans = [], whole = [];
  for (const f of found) {
    const sp = span(f, para);
    if (sp) spans.push([sp[0], sp[1], f]); else whole.push(f);
  }
  const cls = ["para"];
  if (para.heading !== undefined) cls.push(para.heading === 0 ? "title" : `h h${Math.min(para.heading, 4)}`);
  const p = el("p", {class: cls.join(" "), id: `line-${para.line}`, "data-line": para.line});
  p.append(el("span", {class: "ln", "aria-hidden": "true"}, String(para.line)));
  for (const f of whole) {
    p.append(el("button", {type: "button", class: `pbadge sev-${f.severity}`, "data-ids": String(f.id),
                           title: f.message, "aria-label": `${SEV[f.severity]} ${f.code} ${f.message}`,
                           onclick: () => select(f.id)}, f.code));
  }
  const cuts = new Set([0, para.text.length]);
  spans.forEach(([a, b]) => { cuts.add(a); cuts.add(b); });
  const points = Array.from(cuts).sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const text = para.text.slice(a, b);
    const over = spans.filter(([s, e]) => s <= a && e >= b).map(([, , f]) => f);
    if (!over.length) { p.append(text); continue; }
    const ids = over.map((f) => f.id).join(",");
    const label = over.map((f) => `${SEV[f.severity]} ${f.code} ${f.message}`).join("；");
    p.append(el("mark", {class: `f sev-${worst(over)}`, tabindex: "0", role: "button", "data-ids": ids,
                         title: label, "aria-label": `“${text}”：${label}`,
                         onclick: () => select(over[0].id),
                         onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(over[0].id); } }},
                    text));
  }
  if (!para.text) p.append("\u00a0");
  return p;
}

function renderDocument(entry, shown) {
  const doc = $("doc");
  doc.replaceChildren();
  const paras = (entry.data && entry.data.document) || [];
  const byLine = {};
  shown.forEach((f) => { (byLine[f.line] = byLine[f.line] || []).push(f); });
  let table = null, tableNo = null, row = null, rowNo = null, cell = null, cellNo = null;
  for (const para of paras) {
    if (!para.table) { table = null; tableNo = null; }
    const node = renderParagraph(para, byLine[para.line] || []);
    if (para.table) {
      const [t, r, c] = para.table;
      if (table === null || t !== tableNo) {
        table = el("table", {class: "doc-table"});
        doc.append(table);
        tableNo = t; rowNo = null;
      }
      if (r !== rowNo) { row = el("tr"); table.append(row); rowNo = r; cellNo = null; }
      if (c !== cellNo) { cell = el("td"); row.append(cell); cellNo = c; }
      cell.append(node);
    } else {
      doc.append(node);
    }
  }
  if (!paras.length) doc.append(el("p", {class: "empty"}, entry.error ? "这个文件无法读取，请看右侧的说明。" : "（文稿为空）"));
}

function renderList(shown, total) {
  const list = $("findings");
  list.replaceChildren();
  $("list-title").textContent = shown.length === total ? `问题列表（${total}）` : `问题列表（显示 ${shown.length} / ${total}）`;
  for (const f of shown) {
    const li = el("li", {class: `item sev-${f.severity}`, id: `finding-${f.id}`});
    li.append(el("button", {type: "button", class: "head", "aria-expanded": "false", onclick: () => select(f.id)},
                  el("span", {class: `tag sev-${f.severity}`}, SEV[f.severity]),
                  el("span", {class: "code"}, f.code),
                  el("span", {class: "where"}, `第 ${f.line} ${state.files[state.active].name.endsWith(".docx") ? "段" : "行"}`),
                  el("span", {class: "msg"}, f.message)));
    const detail = el("div", {class: "detail", hidden: true});
    if (f.text) detail.append(el("p", {}, "原文：", el("q", {class: "orig"}, f.text)));
    if (f.suggestion) detail.append(el("p", {class: "suggest"}, f.suggestion));
    if (f.fix && f.fix.replacement !== undefined) {
      detail.append(el("p", {class: "fix"}, `建议改为：“${f.fix.replacement}”`, f.fix.safe ? "（修复版会自动改正）" : "（需人工确认）"));
    }
    if (f.section) detail.append(el("p", {class: "section"}, `位置：${f.section}`));
    const ex = el("div", {class: "explain", hidden: true});
    detail.append(el("button", {type: "button", class: "link", "aria-expanded": "false",
                                onclick: (e) => toggleExplain(f.code, ex, e.currentTarget)}, `规则说明 ${f.code} ${f.name}`), ex);
    li.append(detail);
    list.append(li);
  }
  if (!shown.length) list.append(el("li", {class: "none"}, total ? "筛选后没有问题。" : "没有发现问题。"));
}

async function toggleExplain(code, box, button) {
  if (!box.hidden) { box.hidden = true; button.setAttribute("aria-expanded", "false"); return; }
  if (!state.explain[code]) {
    try {
      const resp = await fetch(`/api/explain/${encodeURIComponent(code)}`, {credentials: "same-origin"});
      state.explain[code] = resp.ok ? await resp.json() : {error: await errorOf(resp)};
    } catch (e) {
      state.explain[code] = {error: "无法连接到 ecocheck 服务"};
    }
  }
  const d = state.explain[code];
  box.replaceChildren();
  if (d.error) box.append(el("p", {}, d.error));
  else {
    box.append(el("p", {class: "ex-summary"}, `${d.summary}（${d.family_name}，默认${SEV[d.severity]}）`),
               el("h4", {}, "检查什么"), el("p", {}, d.what),
               el("h4", {}, "为什么"), el("p", {}, d.why),
               el("h4", {}, "反例"), el("pre", {class: "bad"}, d.bad),
               el("h4", {}, "正例"), el("pre", {class: "good"}, d.good));
  }
  box.hidden = false;
  button.setAttribute("aria-expanded", "true");
}

function select(id) {
  state.selected = id;
  document.querySelectorAll(".active-f").forEach((n) => n.classList.remove("active-f"));
  document.querySelectorAll("#findings .item").forEach((li) => {
    const open = li.id === `finding-${id}`;
    li.querySelector(".detail").hidden = !open;
    li.querySelector(".head").setAttribute("aria-expanded", open ? "true" : "false");
    li.classList.toggle("open", open);
  });
  const marks = Array.from(document.querySelectorAll("#doc [data-ids]"))
    .filter((m) => m.getAttribute("data-ids").split(",").includes(String(id)));
  marks.forEach((m) => m.classList.add("active-f"));
  if (marks.length) marks[0].scrollIntoView({block: "center", behavior: "smooth"});
  const li = $(`finding-${id}`);
  if (li) li.scrollIntoView({block: "nearest", behavior: "smooth"});
}

function step(delta) {
  const items = Array.from(document.querySelectorAll("#findings .item"));
  if (!items.length) return;
  const ids = items.map((li) => Number(li.id.slice("finding-".length)));
  let k = ids.indexOf(state.selected);
  k = k < 0 ? (delta > 0 ? 0 : ids.length - 1) : (k + delta + ids.length) % ids.length;
  select(ids[k]);
  items[k].querySelector(".head").focus({preventScroll: true});
}

// ---------------------------------------------------------------------------
// The outline: genre, sections, problem ⇄ measure pairs

function renderOutline(entry, all) {
  const box = $("outline");
  box.replaceChildren();
  const ol = entry.data && entry.data.outline;
  if (!ol) { box.append(el("p", {class: "hint"}, "无法分析结构。")); return; }
  box.append(el("p", {class: "genre"}, `文种：${genreName(entry)}`),
             el("p", {class: "title-line"}, ol.title ? `标题：${ol.title}` : "标题：（无标题行）"));
  const problemLines = new Set(all.filter((f) => f.code[0] === "S" || f.code[0] === "P").map((f) => f.line));
  const unpaired = new Set((ol.pairing || []).filter((p) => p.measure === null || p.measure === undefined).map((p) => p.problem_line));
  const tree = el("ul", {class: "tree"});
  const walk = (node, parent) => {
    const label = `${node.label}${node.heading}`;
    const li = el("li", {class: `lvl${node.level} ${node.kind}`});
    const go = el("button", {type: "button", class: problemLines.has(node.line) ? "node flagged" : "node",
                             onclick: () => jump(node.line), title: label}, label);
    li.append(go);
    if (node.kind === "heading" && unpaired.has(node.line)) li.append(el("span", {class: "role missing-tag"}, "✗ 缺少措施"));
    if (node.kind === "heading" && node.level === 1 && node.role && node.role !== "other") {
      li.append(el("span", {class: `role role-${node.role}`}, ROLE[node.role] || node.role));
    }
    parent.append(li);
    if (node.children && node.children.length && node.level < 3) {
      const sub = el("ul");
      node.children.forEach((c) => walk(c, sub));
      li.append(sub);
    }
  };
  ol.sections.forEach((n) => walk(n, tree));
  box.append(tree);
  if (ol.pairing && ol.pairing.length) {
    box.append(el("h3", {}, "问题 ⇄ 措施"));
    const pairs = el("ol", {class: "pairs"});
    for (const p of ol.pairing) {
      const ok = p.measure !== null && p.measure !== undefined;
      pairs.append(el("li", {class: ok ? "pair" : "pair missing"},
        el("button", {type: "button", class: "node", onclick: () => jump(p.problem_line)}, p.problem),
        el("span", {class: "arrow", "aria-hidden": "true"}, ok ? "⇄" : "✗"),
        ok ? el("button", {type: "button", class: "node", onclick: () => jump(p.measure_line)}, p.measure)
           : el("span", {class: "no-measure"}, "缺少对应的整改措施")));
    }
    box.append(pairs);
  }
}

function jump(line) {
  const p = $(`line-${line}`);
  if (!p) return;
  p.scrollIntoView({block: "center", behavior: "smooth"});
  p.classList.remove("flash");
  void p.offsetWidth;
  p.classList.add("flash");
}

// ---------------------------------------------------------------------------
// Wiring

function init() {
  const drop = $("drop"), input = $("file");
  drop.addEventListener("click", () => input.click());
  drop.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); }
  });
  input.addEventListener("change", () => { check(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (e) => { e.preventDefault(); e.stopPropagation(); check(e.dataTransfer.files); });
  // a file dropped anywhere else on the page is checked too, never opened by the browser
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", (e) => { e.preventDefault(); if (e.dataTransfer) check(e.dataTransfer.files); });
  $("dl-annotate").addEventListener("click", () => download("annotate"));
  $("dl-fix").addEventListener("click", () => download("fix"));
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea") return;
    if (e.key === "n" || e.key === "j") { e.preventDefault(); step(1); }
    else if (e.key === "p" || e.key === "k") { e.preventDefault(); step(-1); }
    else if (e.key === "/") { e.preventDefault(); input.click(); }
  });
}

document.addEventListener("DOMContentLoaded", init);
