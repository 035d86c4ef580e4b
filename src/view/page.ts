/**
 * The view's page: HTML, CSS and one script, all in this module, so the published package serves it
 * from dist as it is: no bundler at run time, no file to find beside the bundle, nothing fetched
 * from anywhere but the view's own server. The script is plain ES2020 and writes text only through
 * `textContent`, never as HTML: an event name is the gateway's text.
 */
import { viewHistory } from './feed.js';

/** The path of the page's WebSocket, which pushes `ViewMessage`s (feed.ts) as JSON text. */
export const FEED_PATH = '/feed';

/** The page, its one script allowed by `nonce` (the Content-Security-Policy names it). */
export function viewPage(nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>utilbot-gateway session</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header><h1>utilbot-gateway session</h1><span id="live" class="off">connecting…</span></header>
<main>
  <section class="wide"><h2>State</h2><svg id="chart" viewBox="0 0 820 190" role="img" aria-label="session statechart"></svg></section>
  <section><h2>Latency <small id="latency-now"></small></h2><svg id="sparkline" viewBox="0 0 300 60"></svg></section>
  <section><h2>Reconnects</h2><svg id="timeline" viewBox="0 0 300 60"></svg><ol id="reconnects"></ol></section>
  <section><h2>Queue and plugins</h2><p>queued frames: <b id="queue">0</b></p><ul id="plugins"></ul></section>
  <section><h2>Transitions <small>(heartbeats in Latency)</small></h2><ol id="transitions"></ol></section>
  <section><h2>Events <small>(names and sizes, never data)</small></h2><ol id="events"></ol></section>
  <section><h2>Errors</h2><ol id="errors"></ol></section>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; background: #f6f7f9; color: #1d232b; }
header { display: flex; align-items: baseline; gap: 1em; padding: 8px 16px; background: #1d232b; color: #fff; }
h1 { font-size: 15px; margin: 0; }
#live { font-size: 12px; } #live.on { color: #7ee2a8; } #live.off { color: #f5a97f; }
main { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; padding: 10px; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 8px 10px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 13px; margin: 0 0 6px; } h2 small { font-weight: normal; color: #6b7480; }
ol, ul { margin: 0; padding-left: 0; list-style: none; max-height: 180px; overflow: auto; font: 12px/1.5 ui-monospace, monospace; }
li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.t { color: #6b7480; }
svg { width: 100%; display: block; }
.state rect { fill: #eef1f5; stroke: #9aa4b1; rx: 6; }
.state text { font: 13px ui-monospace, monospace; text-anchor: middle; dominant-baseline: middle; fill: #1d232b; }
.state.current rect { fill: #2f6fdf; stroke: #1b4aa0; stroke-width: 2; }
.state.current text { fill: #fff; font-weight: bold; }
.edge { stroke: #b6bec9; fill: none; marker-end: url(#arrow); }
.edge.last { stroke: #2f6fdf; stroke-width: 2; }
.spark { fill: none; stroke: #2f6fdf; stroke-width: 1.5; }
.bar { fill: #f0a04b; }
.axis { stroke: #dde1e6; }
.err { color: #b42318; }
`;

const SCRIPT = `
'use strict';
const SVG = 'http://www.w3.org/2000/svg';
const BOX = { w: 140, h: 44, dx: 160, dy: 110, x0: 20, y0: 20, perRow: 5 };
let model = null;

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}
function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const name in attrs) node.setAttribute(name, String(attrs[name]));
  if (text !== undefined) node.textContent = text;
  return node;
}
function clock(at) { return new Date(at).toISOString().slice(11, 23); }
function keep(list, item, max) { list.push(item); if (list.length > max) list.splice(0, list.length - max); }
function isBeat(t) {
  return (t.previous === 'ready' && t.status === 'heartbeat-pending') ||
    (t.previous === 'heartbeat-pending' && t.status === 'ready');
}
function fill(id, items, line) {
  const list = document.getElementById(id);
  list.replaceChildren(...items.slice().reverse().map(line));
}

function boxOf(status) {
  const i = model.statuses.indexOf(status);
  // The second row runs back, so heartbeat-pending sits under ready and the way back is short.
  const col = i < BOX.perRow ? i : BOX.perRow - 1 - (i % BOX.perRow);
  const x = BOX.x0 + col * BOX.dx;
  const y = BOX.y0 + Math.floor(i / BOX.perRow) * BOX.dy;
  return { x, y, cx: x + BOX.w / 2, cy: y + BOX.h / 2 };
}
/** Where the line from a's centre to b's centre leaves b's box. */
function edgePoint(from, to) {
  const dx = from.cx - to.cx, dy = from.cy - to.cy;
  const t = Math.min(dx === 0 ? Infinity : (BOX.w / 2 + 4) / Math.abs(dx), dy === 0 ? Infinity : (BOX.h / 2 + 4) / Math.abs(dy));
  return { x: to.cx + dx * t, y: to.cy + dy * t };
}
function drawChart() {
  const chart = document.getElementById('chart');
  const defs = svg('defs', {});
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto' });
  marker.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8a94a1' }));
  defs.appendChild(marker);
  const nodes = [defs];
  const seen = new Map();
  for (const t of model.transitions) seen.set(t.previous + '>' + t.status, t);
  const last = model.transitions[model.transitions.length - 1];
  for (const t of seen.values()) {
    const a = boxOf(t.previous), b = boxOf(t.status);
    const start = edgePoint(b, a), end = edgePoint(a, b);
    // Bend each edge to its right, so a → b and b → a are two lines.
    const mx = (start.x + end.x) / 2 + (end.y - start.y) * 0.15, my = (start.y + end.y) / 2 - (end.x - start.x) * 0.15;
    const cls = last && last.previous === t.previous && last.status === t.status ? 'edge last' : 'edge';
    nodes.push(svg('path', { class: cls, d: 'M' + start.x + ',' + start.y + ' Q' + mx + ',' + my + ' ' + end.x + ',' + end.y }));
  }
  for (const status of model.statuses) {
    const b = boxOf(status);
    const g = svg('g', { class: status === model.status ? 'state current' : 'state', 'data-status': status });
    g.appendChild(svg('rect', { x: b.x, y: b.y, width: BOX.w, height: BOX.h, rx: 6 }));
    g.appendChild(svg('text', { x: b.cx, y: b.cy }, status));
    nodes.push(g);
  }
  chart.replaceChildren(...nodes);
  chart.setAttribute('data-current', model.status);
}
function drawSparkline() {
  const values = model.latencies;
  const node = document.getElementById('sparkline');
  const now = values[values.length - 1];
  document.getElementById('latency-now').textContent = now === undefined ? '(no heartbeat yet)' : now.toFixed(1) + ' ms';
  if (values.length === 0) { node.replaceChildren(); return; }
  const max = Math.max(...values, 1);
  const step = values.length > 1 ? 300 / (values.length - 1) : 0;
  const points = values.map((v, i) => (i * step).toFixed(1) + ',' + (58 - (v / max) * 54).toFixed(1)).join(' ');
  node.replaceChildren(svg('line', { class: 'axis', x1: 0, y1: 58, x2: 300, y2: 58 }),
    svg('polyline', { class: 'spark', points }), svg('text', { x: 2, y: 10, 'font-size': 9, fill: '#6b7480' }, 'max ' + max.toFixed(1) + ' ms'));
}
function drawReconnects() {
  const waits = model.transitions.filter((t) => t.status === 'reconnecting');
  const node = document.getElementById('timeline');
  const max = Math.max(1, ...waits.map((t) => t.retryIn || 0));
  const shown = waits.slice(-30);
  node.replaceChildren(svg('line', { class: 'axis', x1: 0, y1: 58, x2: 300, y2: 58 }),
    ...shown.map((t, i) => { const h = Math.max(2, ((t.retryIn || 0) / max) * 54); return svg('rect', { class: 'bar', x: i * 10, y: 58 - h, width: 8, height: h }); }));
  fill('reconnects', waits, (t) => el('li', clock(t.at) + ' retry in ' + (t.retryIn === undefined ? '?' : t.retryIn + ' ms') + (t.reason ? ' — ' + t.reason : '')));
}
function drawGauges() {
  document.getElementById('queue').textContent = String(model.queue);
  const plugins = document.getElementById('plugins');
  plugins.replaceChildren(...(model.plugins.length ? model.plugins.map((p) => el('li', p)) : [el('li', '(no plugins)', 't')]));
}
function drawTransitions() {
  fill('transitions', model.transitions.filter((t) => !isBeat(t)), (t) => {
    const li = el('li', clock(t.at) + ' ' + t.previous + ' → ' + t.status +
      (t.reason ? ' (' + t.reason + ')' : '') + (t.retryIn !== undefined ? ', retry in ' + t.retryIn + ' ms' : ''));
    li.setAttribute('data-status', t.status);
    return li;
  });
}
function drawEvents() {
  fill('events', model.events, (e) => el('li', clock(e.at) + ' ' + e.name + ' ' + (e.size === undefined ? '?' : e.size + ' B')));
}
function drawErrors() {
  fill('errors', model.errors, (e) => el('li', clock(e.at) + ' ' + (e.message.startsWith(e.code) ? '' : e.code + ' ') + e.message, 'err'));
}
function drawAll() { drawChart(); drawSparkline(); drawReconnects(); drawGauges(); drawTransitions(); drawEvents(); drawErrors(); }

function apply(message) {
  if (message.type === 'snapshot') {
    model = Object.assign({}, message.snapshot);
    drawAll();
    return;
  }
  if (model === null) return;
  if (message.type === 'transition') {
    keep(model.transitions, message.transition, ${viewHistory.transitions});
    model.status = message.transition.status;
    drawChart(); drawTransitions(); drawReconnects();
  } else if (message.type === 'event') {
    keep(model.events, message.event, ${viewHistory.events}); drawEvents();
  } else if (message.type === 'error') {
    keep(model.errors, message.error, ${viewHistory.errors}); drawErrors();
  } else if (message.type === 'latency') {
    keep(model.latencies, message.latency, ${viewHistory.latencies}); drawSparkline();
  } else if (message.type === 'gauges') {
    model.queue = message.queue; model.plugins = message.plugins; drawGauges();
  }
}

const live = document.getElementById('live');
const socket = new WebSocket('ws://' + location.host + '${FEED_PATH}');
socket.onopen = () => { live.textContent = 'live'; live.className = 'on'; };
socket.onclose = () => { live.textContent = 'view stopped'; live.className = 'off'; };
socket.onmessage = (message) => apply(JSON.parse(message.data));
`;
