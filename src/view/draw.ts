/**
 * The session view's drawing: the one piece of code that turns {@link ViewMessage}s into the view,
 * run by the served page (its inline script is this module bundled: page-script.ts) and by
 * `renderSessionView` in an app's own page. It writes text only through `textContent`, never as
 * HTML (an event name is the gateway's text), and styles itself with a constructed style sheet,
 * which needs no CSP allowance (an inline `<style>` would need `style-src`).
 *
 * Plain DOM, no imports but types and the history bounds: everything here ends up in the page.
 */
import type { SessionEdge } from '../../machines/session-graph.js';
import { viewHistory, type ViewMessage, type ViewSnapshot, type ViewTransition } from './messages.js';

/** A view drawn into an element, following the messages it is given. */
export interface SessionDrawing {
  /** Draws what `message` changes; anything before the first `snapshot` is ignored. */
  apply(message: ViewMessage): void;
  /** Removes the view and its style sheet from the page. */
  remove(): void;
}

/** The class of the view's own element; every rule of its style sheet is scoped under it. */
export const VIEW_CLASS = 'utilbot-session-view';

const SVG = 'http://www.w3.org/2000/svg';

/** The chart's coordinates: the viewBox, and each status's box (its centre) as drawn. */
const CHART = { width: 1000, height: 415, boxWidth: 150, boxHeight: 34 } as const;

/**
 * Where each status sits: the way to `ready` along the top, `heartbeat-pending` under `ready`,
 * the waits and the ends below, so the many arrows into `reconnecting`, `failed` and `stopped`
 * come down instead of crossing the top row. The arrows are the machine's (`sessionGraph()`); a
 * status this table does not know goes to the bottom row.
 */
const PLACES: Readonly<Record<string, readonly [number, number]>> = {
  idle: [95, 85],
  connecting: [295, 85],
  'awaiting-hello': [495, 85],
  identifying: [695, 85],
  ready: [895, 85],
  'heartbeat-pending': [895, 235],
  reconnecting: [395, 235],
  stopped: [145, 375],
  failed: [645, 375],
};

/**
 * The view's style sheet. A function, not a constant: a template literal at the top of a module is
 * kept by bundlers even in a page that never draws a view (1.7 KB of a client-only page).
 */
function viewStyle(): string {
  return `
.${VIEW_CLASS} { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px;
  font: 13px/1.4 system-ui, sans-serif; color: #1d232b; }
.${VIEW_CLASS} * { box-sizing: border-box; }
.${VIEW_CLASS} section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 8px 10px; min-width: 0; }
.${VIEW_CLASS} section.wide { grid-column: 1 / -1; }
.${VIEW_CLASS} h2 { font-size: 13px; margin: 0 0 6px; }
.${VIEW_CLASS} h2 small, .${VIEW_CLASS} .t { font-weight: normal; color: #6b7480; }
.${VIEW_CLASS} ol, .${VIEW_CLASS} ul { margin: 0; padding-left: 0; list-style: none; max-height: 180px; overflow: auto;
  font: 12px/1.5 ui-monospace, monospace; }
.${VIEW_CLASS} li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.${VIEW_CLASS} p { margin: 0 0 4px; }
.${VIEW_CLASS} svg { width: 100%; display: block; }
.${VIEW_CLASS} .state rect { fill: #eef1f5; stroke: #9aa4b1; }
.${VIEW_CLASS} .state text { font: 13px ui-monospace, monospace; text-anchor: middle; dominant-baseline: central; fill: #1d232b; }
.${VIEW_CLASS} .state.current rect { fill: #2f6fdf; stroke: #1b4aa0; stroke-width: 2; }
.${VIEW_CLASS} .state.current text { fill: #fff; font-weight: bold; }
.${VIEW_CLASS} .edge { stroke: #c9d0d8; stroke-width: 1.2; fill: none; }
.${VIEW_CLASS} .edge.seen { stroke: #7d8794; stroke-width: 1.6; }
.${VIEW_CLASS} .edge.last { stroke: #2f6fdf; stroke-width: 2.5; }
.${VIEW_CLASS} .edge-label { font: 10px ui-monospace, monospace; fill: #8a94a1; dominant-baseline: central;
  paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.${VIEW_CLASS} .edge-label.seen { fill: #4a535e; }
.${VIEW_CLASS} .edge-label.last { fill: #1b4aa0; font-weight: bold; }
.${VIEW_CLASS} .spark { fill: none; stroke: #2f6fdf; stroke-width: 1.5; }
.${VIEW_CLASS} .bar { fill: #f0a04b; }
.${VIEW_CLASS} .axis { stroke: #dde1e6; }
.${VIEW_CLASS} .err { color: #b42318; }
`;
}

/** Each drawing's arrowhead markers need ids of their own: two views can share a page. */
let drawings = 0;

/**
 * Draws the session view into `root` (its children are replaced) and returns the drawing, which
 * follows the messages it is given. Nothing shows until the first `snapshot`.
 */
export function drawSessionView(root: HTMLElement): SessionDrawing {
  const doc = root.ownerDocument;
  const marker = `utilbot-session-view-arrow-${++drawings}`;
  let model:
    | {
        -readonly [K in keyof ViewSnapshot]: ViewSnapshot[K] extends readonly (infer T)[]
          ? T[]
          : ViewSnapshot[K];
      }
    | null = null;

  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    text?: string,
    cls?: string,
  ): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls !== undefined) node.className = cls;
    return node;
  };
  const svg = (tag: string, attrs: Record<string, string | number>, text?: string): SVGElement => {
    const node = doc.createElementNS(SVG, tag);
    for (const name of Object.keys(attrs)) node.setAttribute(name, String(attrs[name]));
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // The skeleton: one section per part, each found again by its data-view name.
  const view = el('div', undefined, VIEW_CLASS);
  const parts = new Map<string, Element>();
  const section = (title: string, note: string | undefined, wide: boolean, ...body: Element[]): void => {
    const node = el('section', undefined, wide ? 'wide' : undefined);
    const h2 = el('h2', title);
    if (note !== undefined) h2.append(' ', el('small', note));
    node.append(h2, ...body);
    view.append(node);
  };
  const part = <T extends Element>(name: string, node: T): T => {
    node.setAttribute('data-view', name);
    parts.set(name, node);
    return node;
  };
  const get = (name: string): Element => parts.get(name) as Element;
  const chartSvg = svg('svg', { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: 'img' });
  chartSvg.setAttribute('aria-label', 'session statechart');
  section(
    'State',
    '(every change the chart allows; the ones seen darker, the last in blue)',
    true,
    part('chart', chartSvg),
  );
  const latencyNow = part('latency-now', el('small'));
  const latencyTitle = el('h2', 'Latency ');
  latencyTitle.append(latencyNow);
  const latencySection = el('section');
  latencySection.append(latencyTitle, part('sparkline', svg('svg', { viewBox: '0 0 300 60' })));
  view.append(latencySection);
  section(
    'Reconnects',
    undefined,
    false,
    part('timeline', svg('svg', { viewBox: '0 0 300 60' })),
    part('reconnects', el('ol')),
  );
  const queueLine = el('p', 'queued frames: ');
  queueLine.append(part('queue', el('b', '0')));
  section('Queue and plugins', undefined, false, queueLine, part('plugins', el('ul')));
  section('Transitions', '(heartbeats in Latency)', false, part('transitions', el('ol')));
  section('Events', '(names and sizes, never data)', false, part('events', el('ol')));
  section('Errors', undefined, false, part('errors', el('ol')));
  root.replaceChildren(view);
  const unstyle = adoptStyle(root);

  const clock = (at: number): string => new Date(at).toISOString().slice(11, 23);
  const keep = <T>(list: T[], item: T, max: number): void => {
    list.push(item);
    if (list.length > max) list.splice(0, list.length - max);
  };
  const isBeat = (t: ViewTransition): boolean =>
    (t.previous === 'ready' && t.status === 'heartbeat-pending') ||
    (t.previous === 'heartbeat-pending' && t.status === 'ready');
  const fill = <T>(name: string, items: readonly T[], line: (item: T) => Element): void => {
    get(name).replaceChildren(...items.slice().reverse().map(line));
  };

  function drawChart(): void {
    if (model === null) return;
    const { states, edges } = model.graph;
    const centres = new Map<string, readonly [number, number]>();
    let spare = 0;
    for (const status of states) {
      const place = PLACES[status] ?? [95 + 200 * spare++, CHART.height - 20];
      centres.set(status, place);
    }
    const seen = new Set(model.transitions.map((t) => `${t.previous}>${t.status}`));
    const last = model.transitions[model.transitions.length - 1];
    const lastKey = last === undefined ? '' : `${last.previous}>${last.status}`;
    const classOf = (edge: SessionEdge): string => {
      const key = `${edge.from}>${edge.to}`;
      return key === lastKey ? 'last' : seen.has(key) ? 'seen' : '';
    };

    const arrows: Element[] = [];
    const labels: Element[] = [];
    // Arrows with the same target and label (STOP from everywhere, FAULT from every connected
    // state) share one label beside the target: eight "STOP"s would hide the chart.
    const groups = new Map<string, { routes: Route[]; cls: string; to: string; label: string }>();
    for (const edge of edges) {
      const a = centres.get(edge.from);
      const b = centres.get(edge.to);
      if (a === undefined || b === undefined) continue;
      const path = route(a, b);
      const { start, control, end } = path;
      const cls = classOf(edge);
      const line = svg('path', {
        class: `edge ${cls}`.trim(),
        d: `M${start[0]},${start[1]} Q${control[0]},${control[1]} ${end[0]},${end[1]}`,
        'marker-end': `url(#${marker}${cls === '' ? '' : `-${cls}`})`,
        'data-from': edge.from,
        'data-to': edge.to,
      });
      line.append(svg('title', {}, `${edge.from} → ${edge.to}: ${edge.label}`));
      arrows.push(line);
      const key = `${edge.to}\n${edge.label}`;
      const group = groups.get(key) ?? { routes: [], cls: '', to: edge.to, label: edge.label };
      group.routes.push(path);
      if (cls === 'last' || (cls === 'seen' && group.cls === '')) group.cls = cls;
      groups.set(key, group);
    }
    for (const { routes, cls, to, label } of groups.values()) {
      const [only] = routes;
      const at =
        routes.length === 1 && only !== undefined
          ? only.label
          : besideBox(
              centres.get(to) as readonly [number, number],
              routes.map((r) => r.end),
            );
      labels.push(
        svg('text', { class: `edge-label ${cls}`.trim(), x: at.x, y: at.y, 'text-anchor': at.anchor }, label),
      );
    }

    const boxes = states.map((status) => {
      const [cx, cy] = centres.get(status) as readonly [number, number];
      const g = svg('g', {
        class: status === model?.status ? 'state current' : 'state',
        'data-status': status,
      });
      g.append(
        svg('rect', {
          x: cx - CHART.boxWidth / 2,
          y: cy - CHART.boxHeight / 2,
          width: CHART.boxWidth,
          height: CHART.boxHeight,
          rx: 6,
        }),
        svg('text', { x: cx, y: cy }, status),
      );
      return g;
    });
    const defs = svg('defs', {});
    for (const [suffix, colour] of [
      ['', '#c9d0d8'],
      ['-seen', '#7d8794'],
      ['-last', '#2f6fdf'],
    ] as const) {
      const head = svg('marker', {
        id: marker + suffix,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 8,
        markerHeight: 8,
        markerUnits: 'userSpaceOnUse',
        orient: 'auto',
      });
      head.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }));
      defs.append(head);
    }
    // Plain arrows under seen ones under the last; labels over arrows; boxes over everything.
    const rank = (node: Element): number =>
      ['edge', 'edge seen', 'edge last'].indexOf(node.getAttribute('class') ?? '');
    arrows.sort((x, y) => rank(x) - rank(y));
    const chart = get('chart');
    chart.replaceChildren(defs, ...arrows, ...labels, ...boxes);
    chart.setAttribute('data-current', model.status);
  }

  function drawSparkline(): void {
    if (model === null) return;
    const values = model.latencies;
    const now = values[values.length - 1];
    get('latency-now').textContent = now === undefined ? '(no heartbeat yet)' : `${now.toFixed(1)} ms`;
    const node = get('sparkline');
    if (values.length === 0) {
      node.replaceChildren();
      return;
    }
    const max = Math.max(...values, 1);
    const step = values.length > 1 ? 300 / (values.length - 1) : 0;
    const points = values
      .map((v, i) => `${(i * step).toFixed(1)},${(58 - (v / max) * 54).toFixed(1)}`)
      .join(' ');
    node.replaceChildren(
      svg('line', { class: 'axis', x1: 0, y1: 58, x2: 300, y2: 58 }),
      svg('polyline', { class: 'spark', points }),
      svg('text', { x: 2, y: 10, 'font-size': 9, fill: '#6b7480' }, `max ${max.toFixed(1)} ms`),
    );
  }

  function drawReconnects(): void {
    if (model === null) return;
    const waits = model.transitions.filter((t) => t.status === 'reconnecting');
    const max = Math.max(1, ...waits.map((t) => t.retryIn ?? 0));
    get('timeline').replaceChildren(
      svg('line', { class: 'axis', x1: 0, y1: 58, x2: 300, y2: 58 }),
      ...waits.slice(-30).map((t, i) => {
        const h = Math.max(2, ((t.retryIn ?? 0) / max) * 54);
        return svg('rect', { class: 'bar', x: i * 10, y: 58 - h, width: 8, height: h });
      }),
    );
    fill('reconnects', waits, (t) =>
      el(
        'li',
        `${clock(t.at)} retry in ${t.retryIn === undefined ? '?' : `${t.retryIn} ms`}${t.reason === undefined ? '' : ` — ${t.reason}`}`,
      ),
    );
  }

  function drawGauges(): void {
    if (model === null) return;
    get('queue').textContent = String(model.queue);
    get('plugins').replaceChildren(
      ...(model.plugins.length > 0 ? model.plugins.map((p) => el('li', p)) : [el('li', '(no plugins)', 't')]),
    );
  }

  function drawTransitions(): void {
    if (model === null) return;
    fill(
      'transitions',
      model.transitions.filter((t) => !isBeat(t)),
      (t) => {
        const li = el(
          'li',
          `${clock(t.at)} ${t.previous} → ${t.status}${t.reason === undefined ? '' : ` (${t.reason})`}${
            t.retryIn === undefined ? '' : `, retry in ${t.retryIn} ms`
          }`,
        );
        li.setAttribute('data-status', t.status);
        return li;
      },
    );
  }

  function drawEvents(): void {
    if (model === null) return;
    fill('events', model.events, (e) =>
      el('li', `${clock(e.at)} ${e.name} ${e.size === undefined ? '?' : `${e.size} B`}`),
    );
  }

  function drawErrors(): void {
    if (model === null) return;
    fill('errors', model.errors, (e) =>
      el('li', `${clock(e.at)} ${e.message.startsWith(e.code) ? '' : `${e.code} `}${e.message}`, 'err'),
    );
  }

  return {
    apply(message) {
      if (message.type === 'snapshot') {
        const s = message.snapshot;
        model = {
          ...s,
          plugins: [...s.plugins],
          latencies: [...s.latencies],
          transitions: [...s.transitions],
          events: [...s.events],
          errors: [...s.errors],
        };
        drawChart();
        drawSparkline();
        drawReconnects();
        drawGauges();
        drawTransitions();
        drawEvents();
        drawErrors();
        return;
      }
      if (model === null) return;
      switch (message.type) {
        case 'transition':
          keep(model.transitions, message.transition, viewHistory.transitions);
          model.status = message.transition.status;
          drawChart();
          drawTransitions();
          drawReconnects();
          break;
        case 'event':
          keep(model.events, message.event, viewHistory.events);
          drawEvents();
          break;
        case 'error':
          keep(model.errors, message.error, viewHistory.errors);
          drawErrors();
          break;
        case 'latency':
          keep(model.latencies, message.latency, viewHistory.latencies);
          drawSparkline();
          break;
        case 'gauges':
          model.queue = message.queue;
          model.plugins = [...message.plugins];
          drawGauges();
          break;
      }
    },
    remove() {
      model = null;
      view.remove();
      unstyle();
    },
  };
}

/** Where a label goes: its anchor point and which of its ends sits there. */
interface LabelPlace {
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'middle' | 'end';
}

/** One arrow's curve, and where its own label goes. */
interface Route {
  readonly start: readonly [number, number];
  readonly control: readonly [number, number];
  readonly end: readonly [number, number];
  readonly label: LabelPlace;
}

/**
 * The arrow from box `a` to box `b`: a quadratic curve bent to its right, so `a → b` and `b → a`
 * are two lines; a way back along a row arcs over it (higher the farther it goes, so the arcs
 * nest) instead of running through the boxes between. Clipped to the boxes' edges. Its label sits
 * outside the bend; a step forward along a row, whose gap is narrower than a label, has its label
 * above the gap.
 */
function route(a: readonly [number, number], b: readonly [number, number]): Route {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length = Math.hypot(dx, dy) || 1;
  const sameRow = Math.abs(dy) < 1;
  const bend = sameRow ? (dx < 0 ? 0.2 : 0) : 0.12;
  // The unit normal to the right of the way from a to b (y grows downwards).
  const nx = -dy / length;
  const ny = dx / length;
  const control: [number, number] = [
    round((a[0] + b[0]) / 2 + nx * bend * length),
    round((a[1] + b[1]) / 2 + ny * bend * length),
  ];
  const start = boxEdge(a, control);
  const end = boxEdge(b, control);
  if (sameRow && dx > 0) {
    const label = {
      x: round((start[0] + end[0]) / 2),
      y: round(a[1] - CHART.boxHeight / 2 - 8),
      anchor: 'middle',
    } as const;
    return { start, control, end, label };
  }
  const mid = [
    0.25 * start[0] + 0.5 * control[0] + 0.25 * end[0],
    0.25 * start[1] + 0.5 * control[1] + 0.25 * end[1],
  ];
  const anchor = nx > 0.35 ? 'start' : nx < -0.35 ? 'end' : 'middle';
  const label = {
    x: round((mid[0] ?? 0) + nx * 6),
    y: round((mid[1] ?? 0) + ny * (anchor === 'middle' ? 9 : 4)),
    anchor,
  } as const;
  return { start, control, end, label };
}

/** A label for arrows that all end at one box: beside it, on the side they come from. */
function besideBox(
  centre: readonly [number, number],
  ends: readonly (readonly [number, number])[],
): LabelPlace {
  const x = ends.reduce((sum, p) => sum + p[0], 0) / ends.length;
  const y = ends.reduce((sum, p) => sum + p[1], 0) / ends.length;
  const dx = (x - centre[0]) / (CHART.boxWidth / 2);
  const dy = (y - centre[1]) / (CHART.boxHeight / 2);
  if (Math.abs(dx) > Math.abs(dy))
    return dx > 0
      ? { x: round(centre[0] + CHART.boxWidth / 2 + 8), y: round(centre[1] - 12), anchor: 'start' }
      : { x: round(centre[0] - CHART.boxWidth / 2 - 8), y: round(centre[1] - 12), anchor: 'end' };
  // Over (or under) the box's left end: a step forward along a row has its label over the gap
  // to the right, and arrows from the right arrive right of the centre.
  const side = dy > 0 ? 1 : -1;
  return {
    x: round(centre[0] - CHART.boxWidth / 2 + 4),
    y: round(centre[1] + side * (CHART.boxHeight / 2 + 8)),
    anchor: 'start',
  };
}

/** Where the line from a box's centre towards `toward` leaves the box (a little outside it). */
function boxEdge(centre: readonly [number, number], toward: readonly [number, number]): [number, number] {
  const dx = toward[0] - centre[0];
  const dy = toward[1] - centre[1];
  const t = Math.min(
    dx === 0 ? Infinity : (CHART.boxWidth / 2 + 3) / Math.abs(dx),
    dy === 0 ? Infinity : (CHART.boxHeight / 2 + 3) / Math.abs(dy),
  );
  return [round(centre[0] + dx * t), round(centre[1] + dy * t)];
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * Styles the view with a constructed style sheet adopted by `root`'s document (or shadow root):
 * unlike an inline `<style>`, it needs nothing from the page's Content-Security-Policy. Where
 * constructed sheets are missing (old browsers), a `<style>` element is the fallback; a strict
 * CSP then leaves the view unstyled, but still readable. Returns what removes it.
 */
function adoptStyle(root: HTMLElement): () => void {
  const home = (root.isConnected ? root.getRootNode() : root.ownerDocument) as Document | ShadowRoot;
  const Sheet =
    home.ownerDocument?.defaultView?.CSSStyleSheet ?? root.ownerDocument.defaultView?.CSSStyleSheet;
  if (Sheet !== undefined && 'adoptedStyleSheets' in home && 'replaceSync' in Sheet.prototype) {
    const sheet = new Sheet();
    sheet.replaceSync(viewStyle());
    home.adoptedStyleSheets = [...home.adoptedStyleSheets, sheet];
    return () => {
      home.adoptedStyleSheets = home.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }
  const style = root.ownerDocument.createElement('style');
  style.textContent = viewStyle();
  root.prepend(style);
  return () => style.remove();
}
