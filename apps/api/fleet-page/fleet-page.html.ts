/**
 * The fleet page, self-contained (no CDN, no build step): it reads the SSE stream
 * with fetch so the token goes in the Authorization header, never in a URL.
 */
export const FLEET_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Homeostat fleet</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f6f7f9; }
  h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
  #status { color: #667; margin-bottom: 1rem; }
  #login { display: flex; gap: .5rem; margin-bottom: 1rem; }
  #login input { flex: 1; max-width: 32rem; padding: .35rem; font-family: monospace; }
  table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 2px #0002; }
  th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #e4e6ea; vertical-align: top; }
  th { background: #eef0f3; font-weight: 600; }
  .state { display: inline-block; padding: .1rem .5rem; border-radius: .7rem; font-weight: 600; font-size: .85rem; }
  .serving { background: #d8f3dc; color: #1b5e20; } .suspect { background: #fff3c4; color: #7a5b00; }
  .degraded, .draining, .probation { background: #ffe0b2; color: #8a4b00; } .quarantined, .fenced, .gone { background: #ffcdd2; color: #8e1b1b; }
  .signals { color: #8a4b00; font-size: .85rem; } .muted { color: #889; }
  .bar { width: 9rem; height: .7rem; background: #e4e6ea; border-radius: .35rem; overflow: hidden; }
  .bar > div { height: 100%; background: #3d7be0; }
  svg { display: block; } a { color: #2458b3; }
</style>
</head>
<body>
<h1>Homeostat fleet</h1>
<div id="status">not connected</div>
<form id="login"><input id="token" type="password" placeholder="bearer token (viewer is enough)" autocomplete="off"><button>Connect</button></form>
<table>
  <thead><tr><th>gateway</th><th>state</th><th>health</th><th>sessions</th><th>sessions, last minutes</th><th>migration</th><th>open runs</th><th>recent runs</th></tr></thead>
  <tbody id="fleet"></tbody>
</table>
<script>
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};
const svgNs = 'http://www.w3.org/2000/svg';
const sparkline = (points) => {
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('width', '160'); svg.setAttribute('height', '32');
  if (points.length < 2) return svg;
  const t0 = points[0].at, t1 = points[points.length - 1].at, top = Math.max(1, ...points.map((p) => p.connections));
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('fill', 'none'); line.setAttribute('stroke', '#3d7be0'); line.setAttribute('stroke-width', '1.5');
  line.setAttribute('points', points.map((p) => ((p.at - t0) / Math.max(1, t1 - t0)) * 158 + 1 + ',' + (31 - (p.connections / top) * 29)).join(' '));
  svg.append(line);
  return svg;
};
const runLink = (run) => el('div', {}, el('a', { href: run.links.temporalUi, target: '_blank', rel: 'noopener' }, run.workflowId), ' ', el('span', { class: 'muted' }, run.outcome || run.status));
// Sessions moved so far: the most it held in the window, minus what it holds now.
const migration = (g) => {
  const out = g.state && g.state.state !== 'serving' && g.state.state !== 'probation';
  const peak = Math.max(0, ...g.vitalsHistory.map((p) => p.connections));
  if (!out || g.runs.open.length === 0 || peak === 0 || g.sessions === null) return el('span', { class: 'muted' }, '—');
  const moved = peak - g.sessions;
  const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuenow': String(Math.round((moved / peak) * 100)) }, el('div', { style: 'width:' + (moved / peak) * 100 + '%' }));
  return el('div', {}, bar, el('span', { class: 'muted' }, moved + ' / ' + peak + ' moved'));
};
// The first line of why it is in this state; the whole text on hover.
const reason = (state) => {
  const text = state && state.reason ? state.reason : '';
  const short = text.length > 90 ? text.slice(0, 90) + '…' : text;
  return el('div', { class: 'muted', title: text }, short + (state ? ' (by ' + state.by + ')' : ''));
};
const row = (g) => {
  const state = g.state ? g.state.state : 'serving';
  const health = g.health
    ? el('div', {}, String(g.health.score), el('div', { class: 'signals' }, g.health.signals.map((s) => s.component + ' −' + s.deduction).join(', ')))
    : el('span', { class: 'muted' }, 'no vitals');
  return el('tr', { 'data-gateway': g.id, 'data-state': state, 'data-registered': String(g.registered) },
    el('td', {}, el('strong', {}, g.id), g.registered ? el('div', { class: 'muted' }, g.registration.address) : el('div', {}, el('span', { class: 'state gone' }, 'not registered'))),
    el('td', {}, el('span', { class: 'state ' + state }, state), reason(g.state)),
    el('td', {}, health),
    el('td', {}, g.sessions === null ? '—' : String(g.sessions), g.registered ? '' : el('div', { class: 'muted' }, 'last seen')),
    el('td', {}, sparkline(g.vitalsHistory)),
    el('td', {}, migration(g)),
    el('td', {}, ...(g.runs.open.length ? g.runs.open.map(runLink) : [el('span', { class: 'muted' }, 'none')])),
    el('td', {}, ...(g.runs.recent.length ? g.runs.recent.map(runLink) : [el('span', { class: 'muted' }, 'none')])),
  );
};
const show = (snapshot) => {
  document.getElementById('fleet').replaceChildren(...snapshot.gateways.map(row));
  document.getElementById('status').textContent = 'live · ' + snapshot.gateways.length + ' gateways · updated ' + new Date(snapshot.at).toLocaleTimeString();
};
let controller;
const connect = async (token) => {
  controller?.abort();
  controller = new AbortController();
  const status = document.getElementById('status');
  try {
    const response = await fetch('/v1/fleet/events', { headers: { authorization: 'Bearer ' + token, accept: 'text/event-stream' }, signal: controller.signal });
    if (!response.ok) { status.textContent = 'refused: ' + response.status + ' ' + ((await response.json().catch(() => ({}))).detail || ''); return; }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\\n\\n')) >= 0) {
        const event = buffer.slice(0, end); buffer = buffer.slice(end + 2);
        const type = (event.match(/^event: (.*)$/m) || [])[1];
        const data = event.split('\\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\\n');
        if (type === 'fleet') show(JSON.parse(data));
        else if (type === 'problem') status.textContent = 'API says: ' + JSON.parse(data).detail;
      }
    }
  } catch (error) {
    if (error.name === 'AbortError') return;
    status.textContent = 'disconnected: ' + error.message;
  }
  setTimeout(() => connect(token), 1000);
};
document.getElementById('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = document.getElementById('token').value.trim();
  sessionStorage.setItem('homeostat-token', token);
  connect(token);
});
const saved = sessionStorage.getItem('homeostat-token');
if (saved) connect(saved);
</script>
</body>
</html>
`;
