/**
 * The dashboard's script, sent inline with the page. Plain ES2020 for any browser; no template
 * literals or backslashes inside (it lives in a `String.raw` template). It keeps 30 s of history,
 * redraws on animation frames, and exposes what it drew on `window.__dashboard` for tests.
 */
export const DASHBOARD_SCRIPT = String.raw`
'use strict';
(function () {
  var HISTORY = 300, TIERS = ['critical', 'high', 'normal', 'low'];
  var COLORS = { critical: '#e5484d', high: '#f5a524', normal: '#3b82f6', low: '#8b95a5' };
  var state = { frames: 0, last: null, ticks: [], queues: [], cells: [], budgetMs: 16.667, drawn: {} };
  window.__dashboard = state;
  var $ = function (id) { return document.getElementById(id); };
  var pending = false;

  function fmt(n) {
    if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (n >= 1e4) return (n / 1e3).toFixed(1) + 'k';
    return String(Math.round(n));
  }
  function push(list, item) { list.push(item); if (list.length > HISTORY) list.shift(); }
  function ctx2d(id) {
    var c = $(id), g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    g.font = '11px system-ui, sans-serif';
    return { c: c, g: g, w: c.width, h: c.height };
  }
  function axes(k, maxY, unit) {
    var g = k.g; g.strokeStyle = '#2a3340'; g.fillStyle = '#8b95a5'; g.lineWidth = 1;
    for (var i = 0; i <= 4; i++) {
      var y = 10 + (k.h - 30) * i / 4;
      g.beginPath(); g.moveTo(44, y); g.lineTo(k.w - 6, y); g.stroke();
      g.fillText(fmt(maxY * (4 - i) / 4) + unit, 2, y + 4);
    }
  }
  function yOf(k, v, maxY) { return 10 + (k.h - 30) * (1 - Math.min(v, maxY) / maxY); }

  function drawThreads(frame) {
    var box = $('threads'), rows = [];
    var maxRate = 1;
    frame.threads.forEach(function (t) { maxRate = Math.max(maxRate, t.localPerSec + t.stolenPerSec); });
    frame.threads.forEach(function (t) {
      var row = box.querySelector('[data-worker="' + t.worker + '"]');
      if (!row) {
        row = document.createElement('div'); row.className = 'worker'; row.setAttribute('data-worker', t.worker);
        row.innerHTML = '<span>w' + t.worker + '</span><div class="bar busy"><i></i></div><span class="pct"></span>' +
          '<div class="bar split"><i class="local"></i><i class="stolen"></i></div><span class="rate"></span><span class="parked">parked</span>';
      }
      rows.push(row);
      row.querySelector('.busy i').style.width = (t.busy * 100).toFixed(1) + '%';
      row.querySelector('.pct').textContent = Math.round(t.busy * 100) + '%';
      row.querySelector('.local').style.width = (100 * t.localPerSec / maxRate).toFixed(1) + '%';
      row.querySelector('.stolen').style.width = (100 * t.stolenPerSec / maxRate).toFixed(1) + '%';
      row.querySelector('.rate').innerHTML = fmt(t.localPerSec) + '/s local · ' + fmt(t.stolenPerSec) + '/s stolen' +
        '<small>steals ' + fmt(t.steals) + ' · failed ' + fmt(t.failedSteals) + ' · parks ' + fmt(t.parks) + '</small>';
      row.querySelector('.parked').classList.toggle('on', t.parked);
      row.setAttribute('data-busy', t.busy);
      row.setAttribute('data-parked', t.parked);
    });
    box.replaceChildren.apply(box, rows);
    state.drawn.threads = rows.length;
  }

  function drawTicks() {
    var k = ctx2d('ticks'), data = state.ticks, budget = state.budgetMs, g = k.g;
    var maxY = budget * 1.5;
    data.forEach(function (v) { if (v * 1.1 > maxY) maxY = v * 1.1; });
    axes(k, maxY, ' ms');
    var n = data.length, x0 = 44, dx = (k.w - 50) / (HISTORY - 1), start = x0 + dx * (HISTORY - n);
    g.strokeStyle = '#3b82f6'; g.lineWidth = 1.5; g.beginPath();
    data.forEach(function (v, i) { var x = start + dx * i, y = yOf(k, v, maxY); if (i === 0) g.moveTo(x, y); else g.lineTo(x, y); });
    g.stroke();
    g.fillStyle = '#e5484d';
    data.forEach(function (v, i) { if (v > budget) g.fillRect(start + dx * i - 1.5, yOf(k, v, maxY) - 1.5, 3, 3); });
    var by = Math.round(yOf(k, budget, maxY)) + 0.5;
    g.strokeStyle = '#e5484d'; g.lineWidth = 2; g.setLineDash([6, 4]);
    g.beginPath(); g.moveTo(x0, by); g.lineTo(k.w - 6, by); g.stroke(); g.setLineDash([]);
    g.fillStyle = '#e5484d'; g.fillText('budget ' + budget.toFixed(1) + ' ms', k.w - 110, by - 5);
    state.drawn.tickPoints = n; state.drawn.budgetY = by;
  }

  function drawQueues() {
    var k = ctx2d('queues'), data = state.queues, g = k.g, maxY = 1;
    data.forEach(function (q) { TIERS.forEach(function (t) { maxY = Math.max(maxY, (q[t] || 0) * 1.1); }); });
    axes(k, maxY, '');
    var n = data.length, dx = (k.w - 50) / (HISTORY - 1), start = 44 + dx * (HISTORY - n);
    TIERS.forEach(function (t) {
      g.strokeStyle = COLORS[t]; g.lineWidth = 1.5; g.beginPath();
      data.forEach(function (q, i) { var x = start + dx * i, y = yOf(k, q[t] || 0, maxY); if (i === 0) g.moveTo(x, y); else g.lineTo(x, y); });
      g.stroke();
    });
    var last = data[n - 1] || {};
    $('queue-legend').innerHTML = TIERS.map(function (t) {
      return '<span data-tier="' + t + '"><b style="background:' + COLORS[t] + '"></b>' + t + ' ' + fmt(last[t] || 0) + '</span>';
    }).join('');
    state.drawn.queuePoints = n;
  }

  function heatColor(v) {
    var r = Math.round(255 * Math.min(1, v * 2)), gr = Math.round(200 * (v < 0.5 ? v * 2 : 2 - v * 2) + 40 * (1 - v));
    var b = Math.round(160 * (1 - Math.min(1, v * 2)) + 40);
    return 'rgb(' + r + ',' + gr + ',' + b + ')';
  }
  function drawHeat() {
    var k = ctx2d('heat'), g = k.g, cells = state.cells;
    if (!cells.length) { g.fillStyle = '#8b95a5'; g.fillText('no partitions', 10, 20); state.drawn.heatCells = 0; return; }
    var minX = Infinity, minZ = Infinity, maxX = -Infinity, maxZ = -Infinity, maxHeat = 0, useActors = true;
    cells.forEach(function (p) {
      minX = Math.min(minX, p[3]); minZ = Math.min(minZ, p[4]); maxX = Math.max(maxX, p[5]); maxZ = Math.max(maxZ, p[6]);
      if (p[2] > 0) useActors = false;
    });
    cells.forEach(function (p) { maxHeat = Math.max(maxHeat, useActors ? p[1] : p[2]); });
    var span = Math.max(maxX - minX, maxZ - minZ) || 1, s = (k.w - 4) / span;
    var sorted = cells.slice().sort(function (a, b) { return (b[5] - b[3]) * (b[6] - b[4]) - (a[5] - a[3]) * (a[6] - a[4]); });
    sorted.forEach(function (p) {
      var v = maxHeat > 0 ? (useActors ? p[1] : p[2]) / maxHeat : 0;
      var x = 2 + (p[3] - minX) * s, y = 2 + (p[4] - minZ) * s, w = Math.max(1, (p[5] - p[3]) * s), h = Math.max(1, (p[6] - p[4]) * s);
      g.globalAlpha = 0.35 + 0.65 * v; g.fillStyle = heatColor(v); g.fillRect(x, y, w, h);
      g.globalAlpha = 1; g.strokeStyle = 'rgba(15,20,25,0.8)'; g.strokeRect(x, y, w, h);
    });
    state.drawn.heatCells = cells.length;
  }

  function drawTrace(frame) {
    var list = $('trace');
    frame.trace.forEach(function (e) {
      var li = document.createElement('li'); li.textContent = 'tick ' + e.tick + ' · actor ' + e.actor + ' · ' + e.type;
      list.insertBefore(li, list.firstChild);
    });
    while (list.childNodes.length > 50) list.removeChild(list.lastChild);
    $('trace-info').textContent = '(' + fmt(frame.sampledTotal) + ' sampled)';
  }

  // [frame group, field, label]: the cumulative counts of supervision and the snapshot writer,
  // and the spatial index's figures; fields ending in Ms are durations.
  var FIGURES = [
    ['supervision', 'restarts', 'restarts'], ['supervision', 'backoffs', 'backoffs'], ['supervision', 'escalations', 'escalations'],
    ['supervision', 'jobsRedone', 'jobs redone'], ['supervision', 'lastRedoMs', 'last redo'],
    ['snapshots', 'written', 'snapshots written'], ['snapshots', 'skipped', 'snapshots skipped'],
    ['snapshots', 'failed', 'snapshot writes failed'], ['snapshots', 'bytesWritten', 'snapshot bytes']
  ];
  var SPATIAL_FIGURES = [
    ['spatial', 'indexMs', 'last index work'], ['spatial', 'sorts', 'spatial sorts'], ['spatial', 'lastSortMs', 'last sort'],
    ['spatial', 'splits', 'splits'], ['spatial', 'merges', 'merges'], ['spatial', 'crossings', 'crossings'], ['spatial', 'outside', 'outside the box']
  ];
  function bytes(n) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : String(n)) + ' ' + units[i];
  }
  function drawFigures(boxId, figures, frame) {
    var box = $(boxId);
    if (!box.firstChild) {
      figures.forEach(function (f) {
        var item = document.createElement('div'); item.setAttribute('data-figure', f[1]);
        var dt = document.createElement('dt'); dt.textContent = f[2];
        item.appendChild(dt); item.appendChild(document.createElement('dd'));
        box.appendChild(item);
      });
    }
    figures.forEach(function (f) {
      var group = frame[f[0]], v = group ? group[f[1]] : null;
      if (f[1] === 'lastRedoMs' && group && group.jobsRedone === 0) v = null; // no redo yet
      if (f[1] === 'lastSortMs' && group && group.sorts === 0) v = null; // no sort yet
      var ms = f[1].slice(-2) === 'Ms';
      var text = v === null || v === undefined ? '–' : ms ? v.toFixed(1) + ' ms' : f[1] === 'bytesWritten' ? bytes(v) : fmt(v);
      box.querySelector('[data-figure="' + f[1] + '"] dd').textContent = text;
    });
  }
  function drawRecovery(frame) {
    drawFigures('recovery', FIGURES, frame);
    var missing = [];
    if (!frame.supervision) missing.push('not supervised');
    if (!frame.snapshots) missing.push('no snapshots');
    $('recovery-info').textContent = missing.length ? '(' + missing.join(' · ') + ')' : '';
    state.drawn.restarts = frame.supervision ? frame.supervision.restarts : null;
    state.drawn.snapshotsWritten = frame.snapshots ? frame.snapshots.written : null;
  }
  function drawSpatial(frame) {
    drawFigures('spatial', SPATIAL_FIGURES, frame);
    $('spatial-info').textContent = frame.spatial ? '(' + frame.spatial.strategy + ')' : '(no index)';
    state.drawn.sorts = frame.spatial ? frame.spatial.sorts : null;
  }

  function draw() {
    pending = false;
    var f = state.last;
    if (!f) return;
    var life = $('lifecycle'); life.textContent = f.lifecycle || 'unknown'; life.setAttribute('data-state', f.lifecycle || '');
    $('tick').textContent = 'tick ' + f.tick;
    $('actors').textContent = f.actors.map(function (a) { return a.kind + ' ' + fmt(a.count); }).join(' · ');
    var recent = state.ticks.slice(-60).slice().sort(function (a, b) { return a - b; });
    $('tick-info').textContent = recent.length ? 'p50 ' + recent[Math.floor(recent.length / 2)].toFixed(2) + ' ms · overruns ' + f.overruns : '';
    $('heat-info').textContent = '(' + f.partitionCount + ' leaves on x–z, coloured by load)';
    drawThreads(f); drawTicks(); drawQueues(); drawHeat(); drawRecovery(f); drawSpatial(f);
  }

  function onFrame(frame) {
    state.frames++; state.last = frame; state.budgetMs = frame.tickBudgetMs;
    frame.ticks.forEach(function (v) { push(state.ticks, v); });
    var tiers = { t: frame.at }; TIERS.forEach(function (t) { tiers[t] = frame.tiers[t] || 0; });
    push(state.queues, tiers);
    if (frame.partitions) state.cells = frame.partitions;
    drawTrace(frame);
    if (!pending) { pending = true; requestAnimationFrame(draw); }
  }

  var source = new EventSource('stream');
  source.onopen = function () { $('conn').textContent = 'live'; };
  source.onerror = function () { $('conn').textContent = 'reconnecting…'; };
  source.onmessage = function (e) { onFrame(JSON.parse(e.data)); };
})();
`;
