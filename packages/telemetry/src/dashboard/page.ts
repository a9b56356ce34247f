/**
 * The dashboard: one self-contained HTML page (inline CSS and script, no CDN, no build step),
 * served at `/` and fed by the `/stream` Server-Sent Events. Charts are hand-drawn on canvas.
 */
import { DASHBOARD_SCRIPT } from './client.js';

const STYLE = `
:root { color-scheme: dark; --bg:#0f1419; --panel:#171d24; --line:#2a3340; --text:#d7dde4; --dim:#8b95a5;
  --critical:#e5484d; --high:#f5a524; --normal:#3b82f6; --low:#8b95a5; --busy:#22c55e; --stolen:#a855f7; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--text); font:13px/1.4 system-ui, sans-serif; }
header { display:flex; gap:16px; align-items:center; padding:10px 16px; border-bottom:1px solid var(--line); }
header h1 { font-size:16px; margin:0 8px 0 0; }
.state { padding:2px 10px; border-radius:10px; background:var(--line); font-weight:600; text-transform:uppercase; font-size:12px; }
.state[data-state=running] { background:#14532d; color:#86efac; }
.state[data-state=paused] { background:#713f12; color:#fde68a; }
.state[data-state=stopped], .state[data-state=failed] { background:#7f1d1d; color:#fecaca; }
#conn { margin-left:auto; color:var(--dim); }
main { display:grid; grid-template-columns:repeat(auto-fit, minmax(520px, 1fr)); gap:12px; padding:12px; }
section { background:var(--panel); border:1px solid var(--line); border-radius:6px; padding:10px 12px; min-width:0; }
h2 { font-size:13px; margin:0 0 8px; color:var(--dim); font-weight:600; }
canvas { width:100%; display:block; }
#heat { max-width:360px; aspect-ratio:1; margin:0 auto; }
.worker { display:grid; grid-template-columns:30px 1fr 40px 1fr 220px 48px; gap:8px; align-items:center; margin:6px 0; }
.bar { height:12px; background:var(--line); border-radius:3px; overflow:hidden; display:flex; }
.bar i { display:block; height:100%; }
.busy i { background:var(--busy); } .split .local { background:var(--normal); } .split .stolen { background:var(--stolen); }
.dim, .rate { color:var(--dim); font-size:12px; } .rate small { display:block; font-size:11px; }
.parked { font-size:11px; color:var(--high); visibility:hidden; } .parked.on { visibility:visible; }
.legend span { margin-right:12px; font-size:12px; } .legend b { display:inline-block; width:10px; height:10px; margin-right:4px; border-radius:2px; }
.figures { display:grid; grid-template-columns:repeat(auto-fill, minmax(130px, 1fr)); gap:8px 12px; margin:0; }
.figures dt { color:var(--dim); font-size:12px; } .figures dd { margin:0; font-size:18px; font-weight:600; }
#trace { margin:0; padding:0; list-style:none; max-height:180px; overflow:auto; font:12px ui-monospace, monospace; color:var(--dim); }
`;

/** The whole page. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>concurrengine dashboard</title><style>${STYLE}</style></head>
<body>
<header><h1>concurrengine</h1>
  <span id="lifecycle" class="state" data-state="">–</span>
  <span id="tick">tick –</span><span id="actors" class="dim"></span><span id="conn">connecting…</span></header>
<main>
  <section id="threads-panel"><h2>Thread pool <span class="dim">busy · dispatches local <b style="color:var(--normal)">■</b> / stolen <b style="color:var(--stolen)">■</b></span></h2><div id="threads"></div></section>
  <section><h2>Tick time <span class="dim" id="tick-info"></span></h2><canvas id="ticks" width="640" height="220"></canvas></section>
  <section><h2>Event queue depth per tier <span class="dim">(all channels, last 30 s)</span></h2><canvas id="queues" width="640" height="220"></canvas>
    <div class="legend" id="queue-legend"></div></section>
  <section><h2>Partition heat map <span class="dim" id="heat-info">(octree leaves projected on x–z)</span></h2><canvas id="heat" width="360" height="360"></canvas></section>
  <section id="recovery-panel"><h2>Supervision and snapshots <span class="dim" id="recovery-info"></span></h2><dl id="recovery" class="figures"></dl></section>
  <section id="spatial-panel"><h2>Spatial index <span class="dim" id="spatial-info"></span></h2><dl id="spatial" class="figures"></dl></section>
  <section><h2>Sampled events <span class="dim" id="trace-info"></span></h2><ol id="trace"></ol></section>
</main>
<script>${DASHBOARD_SCRIPT}</script>
</body></html>
`;
