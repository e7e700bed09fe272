/**
 * The browser side of the HTML run report (reports/html.ts): two canvas panels (client
 * operations with primaries; the message space-time diagram) and two uPlot plots (latency and
 * throughput) on one time window and one time cursor; the node-state inspector and the per-key
 * linearization view follow the cursor. Only what is in view is drawn, and at most LIMIT
 * messages, so a 100k-event run stays responsive. Plain ES5, no template literals (this text
 * sits in a String.raw), no network.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var END = Math.max(1, D.endUs);
  var LIMIT = 6000;
  var LEFT = 84;
  var LANE = 18;
  var TOP = 20;
  var view = { t0: 0, t1: END };
  var cursor = null;
  var plots = [];
  var syncing = false;
  var $ = function (id) { return document.getElementById(id); };
  function fmt(us) {
    if (Math.abs(us) >= 1e6) return (us / 1e6).toFixed(3) + ' s';
    if (Math.abs(us) >= 1e3) return (us / 1e3).toFixed(1) + ' ms';
    return Math.round(us) + ' us';
  }
  function lower(arr, v) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var m = (lo + hi) >> 1; if (arr[m] < v) lo = m + 1; else hi = m; }
    return lo;
  }
  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  // ---- precomputed indexes ---------------------------------------------------------------
  var M = D.msgs;
  var maxLat = 0;
  for (var i = 0; i < M.s.length; i++) maxLat = Math.max(maxLat, M.a[i] - M.s[i]);
  var opCall = D.ops.map(function (o) { return o[2]; });
  var maxOp = 0;
  var openOps = [];
  D.ops.forEach(function (o) {
    if (o[3] < 0) openOps.push(o); else maxOp = Math.max(maxOp, o[3] - o[2]);
  });
  var linSet = {}, blockedId = -1;
  if (D.lin) {
    D.lin.steps.forEach(function (s) { linSet[s.id] = true; });
    if (D.lin.blocked) blockedId = D.lin.blocked.id;
  }
  var groups = [];
  // Many groups (200 SMART configurations) share one lane rather than one lane each.
  var manyGroups = new Set(D.roles.map(function (b) { return b[0]; })).size > 12;
  var roleRows = D.roles.map(function (b) {
    var name = manyGroups ? 'every group' : b[0];
    var g = groups.indexOf(name);
    if (g < 0) { groups.push(name); g = groups.length - 1; }
    return { g: g, group: b[0], node: b[1], from: b[2], to: b[3], row: 0 };
  });
  var groupRows = groups.map(function () { return 1; });
  groups.forEach(function (_, g) {
    var ends = [];
    roleRows.filter(function (r) { return r.g === g; }).forEach(function (r) {
      var row = ends.findIndex(function (e) { return e <= r.from; });
      if (row < 0) row = ends.length;
      ends[row] = r.to; r.row = row;
    });
    groupRows[g] = Math.max(1, ends.length);
  });
  var PALETTE = ['#4a90d9', '#d9534f', '#5cb85c', '#f0ad4e', '#8e6bbf', '#3bb5b0', '#c76b98',
    '#7f8c3d'];
  var nodeNames = D.lanes.slice(0, D.nodes);
  function nodeColour(n) { return PALETTE[Math.max(0, nodeNames.indexOf(n)) % PALETTE.length]; }
  // Down and paused stretches per node, from the node facts.
  var downs = {};
  (function () {
    var since = {};
    D.nodeEvents.forEach(function (e) {
      var at = e[0], node = e[1], kind = e[2];
      if (kind === 'down' || kind === 'paused') since[node] = { at: at, kind: kind };
      else if ((kind === 'up' || kind === 'resumed') && since[node]) {
        (downs[node] = downs[node] || []).push([since[node].at, at, since[node].kind]);
        delete since[node];
      }
    });
    Object.keys(since).forEach(function (n) {
      (downs[n] = downs[n] || []).push([since[n].at, END, since[n].kind]);
    });
  })();
  var obsByNode = {};
  D.obs.forEach(function (o) { (obsByNode[o[1]] = obsByNode[o[1]] || []).push(o); });
  var obsAt = {};
  Object.keys(obsByNode).forEach(function (n) {
    obsAt[n] = obsByNode[n].map(function (o) { return o[0]; });
  });

  // ---- canvas panels ----------------------------------------------------------------------
  function Panel(canvas, height, draw, hit) {
    this.canvas = canvas; this.height = height; this.drawBody = draw; this.hit = hit;
    this.w = 0;
  }
  Panel.prototype.x = function (t) {
    return LEFT + (t - view.t0) / (view.t1 - view.t0) * (this.w - LEFT - 10);
  };
  Panel.prototype.t = function (px) {
    return view.t0 + (px - LEFT) / (this.w - LEFT - 10) * (view.t1 - view.t0);
  };
  Panel.prototype.draw = function () {
    var c = this.canvas, dpr = window.devicePixelRatio || 1;
    var w = Math.max(300, c.parentNode.clientWidth), h = this.height;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
      c.style.width = w + 'px'; c.style.height = h + 'px';
    }
    this.w = w;
    var ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px system-ui, sans-serif';
    var self = this;
    ctx.save();
    ctx.beginPath(); ctx.rect(LEFT, 0, w - LEFT, h); ctx.clip();
    ctx.fillStyle = 'rgba(217, 83, 79, 0.16)';
    D.faults.forEach(function (f) {
      if (f[1] < view.t0 || f[0] > view.t1) return;
      var x0 = self.x(f[0]);
      ctx.fillRect(x0, TOP, Math.max(2, self.x(f[1]) - x0), h - TOP);
    });
    ctx.strokeStyle = '#393'; ctx.setLineDash([4, 3]);
    var xs = this.x(D.faultWindowEndUs);
    ctx.beginPath(); ctx.moveTo(xs, TOP); ctx.lineTo(xs, h); ctx.stroke();
    ctx.setLineDash([]);
    this.drawBody(ctx, w, h);
    if (cursor !== null) {
      var xc = this.x(cursor);
      ctx.strokeStyle = '#000'; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(xc, 0); ctx.lineTo(xc, h); ctx.stroke();
    }
    ctx.restore();
    axis(ctx, this, w);
  };
  function axis(ctx, p, w) {
    var span = view.t1 - view.t0, want = Math.max(2, Math.floor((w - LEFT) / 110));
    var step = Math.pow(10, Math.floor(Math.log10(span / want)));
    [1, 2, 5, 10].some(function (k) {
      if (span / (step * k) <= want) { step *= k; return true; } return false;
    });
    ctx.fillStyle = '#555'; ctx.strokeStyle = '#999'; ctx.textAlign = 'center';
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      var x = p.x(t);
      ctx.beginPath(); ctx.moveTo(x, TOP - 4); ctx.lineTo(x, TOP); ctx.stroke();
      ctx.fillText(fmt(t), x, TOP - 7);
    }
    ctx.textAlign = 'left';
  }
  function laneLabel(ctx, text, y, colour) {
    ctx.fillStyle = colour || '#333';
    ctx.fillText(text.length > 13 ? text.slice(0, 12) + '…' : text, 4, y);
  }

  // Client operations (one lane per client) and the primaries of each group.
  var opsHeight = TOP + D.clients.length * LANE + groupRows.reduce(function (a, n) {
    return a + 8 + n * 10;
  }, 0) + 8;
  function visibleOps(fn) {
    var from = lower(opCall, view.t0 - maxOp), to = lower(opCall, view.t1 + 1);
    for (var k = from; k < to; k++) if (D.ops[k][3] >= 0) fn(D.ops[k]);
    openOps.forEach(function (o) { if (o[2] <= view.t1) fn(o); });
  }
  function drawOps(ctx) {
    var p = this;
    visibleOps(function (o) {
      var y = TOP + o[1] * LANE + 3, x0 = p.x(o[2]), x1 = p.x(o[3] < 0 ? END : o[3]);
      ctx.fillStyle = o[0] === blockedId ? '#d00' : ['#4a90d9', '#e0a030', '#aaa'][o[4]];
      ctx.fillRect(x0, y, Math.max(1.5, x1 - x0), LANE - 6);
      if (linSet[o[0]] || o[0] === blockedId) {
        ctx.strokeStyle = o[0] === blockedId ? '#000' : '#1a7f37'; ctx.lineWidth = 2;
        ctx.strokeRect(x0, y, Math.max(3, x1 - x0), LANE - 6); ctx.lineWidth = 1;
      }
    });
    var top = TOP + D.clients.length * LANE + 8;
    groups.forEach(function (g, gi) {
      roleRows.forEach(function (r) {
        if (r.g !== gi || r.to < view.t0 || r.from > view.t1) return;
        ctx.fillStyle = nodeColour(r.node);
        var x0 = p.x(r.from);
        ctx.fillRect(x0, top + r.row * 10, Math.max(1.5, p.x(r.to) - x0), 8);
      });
      top += 8 + groupRows[gi] * 10;
    });
  }
  function hitOps(px, py) {
    var t = this.t(px), laneIx = Math.floor((py - TOP) / LANE), found = null;
    if (laneIx >= 0 && laneIx < D.clients.length) {
      var slack = (view.t1 - view.t0) * 3 / this.w;
      visibleOps(function (o) {
        var end = o[3] < 0 ? END : o[3];
        if (o[1] === laneIx && o[2] - slack <= t && t <= end + slack) found = o;
      });
    }
    if (found === null) return null;
    return '#' + found[0] + ' ' + D.clients[found[1]] + ' ' + found[5] + '  [' + fmt(found[2]) +
      ', ' + (found[3] < 0 ? '∞' : fmt(found[3])) + ']' +
      (found[0] === blockedId ? '  (cannot be linearized next)' : '');
  }
  function labelsOps(ctx) {
    D.clients.forEach(function (c, k) { laneLabel(ctx, c, TOP + k * LANE + 13); });
    var top = TOP + D.clients.length * LANE + 8;
    groups.forEach(function (g, gi) {
      laneLabel(ctx, g + ' primary', top + 8, '#555'); top += 8 + groupRows[gi] * 10;
    });
  }

  // Messages: one lane per node (then per client), an arrow from send to arrival.
  var msgHeight = TOP + D.lanes.length * LANE + 8;
  var drawnNote = '';
  function laneY(k) { return TOP + k * LANE + LANE / 2; }
  function visibleMsgs() {
    return [lower(M.s, view.t0 - maxLat), lower(M.s, view.t1 + 1)];
  }
  function drawMsgs(ctx, w) {
    var p = this;
    D.lanes.forEach(function (n, k) {
      ctx.fillStyle = k < D.nodes ? (k % 2 ? '#f6f8fb' : '#fff') : '#fbfaf5';
      ctx.fillRect(LEFT, TOP + k * LANE, w - LEFT, LANE);
      (downs[n] || []).forEach(function (d) {
        if (d[1] < view.t0 || d[0] > view.t1) return;
        ctx.fillStyle = d[2] === 'down' ? 'rgba(0,0,0,0.22)' : 'rgba(0,0,120,0.12)';
        ctx.fillRect(p.x(d[0]), TOP + k * LANE + 2, p.x(d[1]) - p.x(d[0]), LANE - 4);
      });
    });
    var r = visibleMsgs(), shown = 0, total = 0, k;
    for (k = r[0]; k < r[1]; k++) if (M.a[k] >= view.t0) total++;
    var every = Math.max(1, Math.ceil(total / LIMIT));
    var arrows = total / every < 800;
    ctx.lineWidth = 1;
    for (k = r[0]; k < r[1]; k++) {
      if (M.a[k] < view.t0) continue;
      var dropped = M.d[k] >= 0;
      if (!dropped && k % every !== 0) continue;
      shown++;
      var x0 = p.x(M.s[k]), y0 = laneY(M.f[k]), x1 = p.x(M.a[k]), y1 = laneY(M.t[k]);
      if (dropped) {
        ctx.strokeStyle = 'rgba(200, 0, 0, 0.8)'; ctx.setLineDash([3, 2]);
        var xe = M.a[k] === M.s[k] ? x0 + 8 : x1, ye = M.a[k] === M.s[k] ? (y0 + y1) / 2 : y1;
        ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(xe, ye); ctx.stroke();
        ctx.setLineDash([]);
        ctx.beginPath(); ctx.moveTo(xe - 3, ye - 3); ctx.lineTo(xe + 3, ye + 3);
        ctx.moveTo(xe - 3, ye + 3); ctx.lineTo(xe + 3, ye - 3); ctx.stroke();
        continue;
      }
      ctx.strokeStyle = M.f[k] >= D.nodes || M.t[k] >= D.nodes ? 'rgba(224, 160, 48, 0.55)'
        : 'rgba(74, 144, 217, 0.55)';
      ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
      if (arrows) {
        var a = Math.atan2(y1 - y0, x1 - x0);
        ctx.beginPath(); ctx.moveTo(x1, y1);
        ctx.lineTo(x1 - 6 * Math.cos(a - 0.4), y1 - 6 * Math.sin(a - 0.4));
        ctx.moveTo(x1, y1);
        ctx.lineTo(x1 - 6 * Math.cos(a + 0.4), y1 - 6 * Math.sin(a + 0.4)); ctx.stroke();
      }
    }
    drawnNote = every > 1 ? 'showing ' + shown + ' of ' + total +
      ' messages in view (every drop, one in ' + every + ' deliveries): zoom in for all'
      : total + ' messages in view';
    if (!D.messagesKept) {
      drawnNote = 'this run did not keep its messages: write the report with run or replay';
    }
    var note = $('msg-note'); if (note) note.textContent = drawnNote;
  }
  function hitMsgs(px, py) {
    var r = visibleMsgs(), best = null, bestD = 5, p = this;
    if (r[1] - r[0] > 20000) return null;
    for (var k = r[0]; k < r[1]; k++) {
      var x0 = p.x(M.s[k]), y0 = laneY(M.f[k]), x1 = p.x(M.a[k]), y1 = laneY(M.t[k]);
      var dx = x1 - x0, dy = y1 - y0, len = dx * dx + dy * dy;
      var u = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len));
      var d = Math.hypot(px - (x0 + u * dx), py - (y0 + u * dy));
      if (d < bestD) { bestD = d; best = k; }
    }
    if (best === null) return null;
    return D.lanes[M.f[best]] + '→' + D.lanes[M.t[best]] + ' ' + D.labels[M.l[best]] +
      '  sent ' + fmt(M.s[best]) + (M.d[best] >= 0 ? ', dropped (' + D.labels[M.d[best]] + ')'
        : ', arrived ' + fmt(M.a[best]));
  }
  function labelsMsgs(ctx) {
    D.lanes.forEach(function (n, k) {
      laneLabel(ctx, n, TOP + k * LANE + 13, k < D.nodes ? '#222' : '#8a6d1e');
    });
  }

  var panels = [
    new Panel($('ops'), opsHeight, function (ctx, w) { drawOps.call(this, ctx, w); }, hitOps),
    new Panel($('messages'), msgHeight, function (ctx, w) { drawMsgs.call(this, ctx, w); },
      hitMsgs),
  ];
  panels[0].labels = labelsOps; panels[1].labels = labelsMsgs;
  var lastDrawMs = 0;
  function redraw() {
    var started = performance.now();
    panels.forEach(function (p) {
      p.draw();
      var ctx = p.canvas.getContext('2d');
      ctx.fillStyle = '#fff'; ctx.fillRect(0, TOP, LEFT - 2, p.height - TOP);
      p.labels(ctx);
      p.canvas.setAttribute('data-view', Math.round(view.t0) + ',' + Math.round(view.t1));
    });
    $('view-note').textContent = 'window ' + fmt(view.t0) + ' – ' + fmt(view.t1) +
      (cursor === null ? '' : ' · cursor ' + fmt(cursor));
    lastDrawMs = performance.now() - started;
  }

  // ---- one window, one cursor ----------------------------------------------------------
  function setView(t0, t1, fromPlot) {
    var span = Math.min(END, Math.max(10, t1 - t0));
    t0 = Math.max(0, Math.min(END - span, t0));
    view.t0 = t0; view.t1 = t0 + span;
    if (!fromPlot) {
      syncing = true;
      plots.forEach(function (u) {
        u.setScale('x', { min: view.t0 / 1000, max: view.t1 / 1000 });
      });
      syncing = false;
    }
    redraw();
  }
  function setCursor(t, fromPlot) {
    cursor = t;
    redraw();
    inspect(t);
    if (!fromPlot) {
      syncing = true;
      plots.forEach(function (u) {
        u.setCursor({ left: u.valToPos(t / 1000, 'x'), top: 5 }, false);
      });
      syncing = false;
    }
  }
  function zoom(factor, centre) {
    var c = centre === undefined ? (view.t0 + view.t1) / 2 : centre;
    setView(c - (c - view.t0) * factor, c + (view.t1 - c) * factor);
  }
  panels.forEach(function (p) {
    var drag = null;
    p.canvas.addEventListener('wheel', function (e) {
      e.preventDefault();
      zoom(Math.exp(e.deltaY * 0.0015), p.t(e.offsetX));
    }, { passive: false });
    p.canvas.addEventListener('mousedown', function (e) {
      drag = { x: e.offsetX, t0: view.t0, t1: view.t1 };
    });
    window.addEventListener('mouseup', function () { drag = null; });
    p.canvas.addEventListener('mousemove', function (e) {
      if (drag !== null && e.buttons === 1) {
        var dt = (drag.x - e.offsetX) / (p.w - LEFT - 10) * (drag.t1 - drag.t0);
        setView(drag.t0 + dt, drag.t1 + dt);
        return;
      }
      if (e.offsetX < LEFT) return;
      setCursor(p.t(e.offsetX));
      $('detail').textContent = p.hit.call(p, e.offsetX, e.offsetY) || '';
    });
    p.canvas.addEventListener('dblclick', function () { setView(0, END); });
  });
  $('zoom-in').addEventListener('click', function () {
    zoom(0.5, cursor === null ? undefined : cursor);
  });
  $('zoom-out').addEventListener('click', function () { zoom(2); });
  $('zoom-reset').addEventListener('click', function () { setView(0, END); });

  // ---- node-state inspector -------------------------------------------------------------
  function inspect(t) {
    var rows = nodeNames.map(function (n) {
      var state = 'up';
      (downs[n] || []).forEach(function (d) { if (d[0] <= t && t < d[1]) state = d[2]; });
      var roles = roleRows.filter(function (r) {
        return r.node === n && r.from <= t && t < r.to;
      }).map(function (r) { return 'primary of ' + r.group; });
      var seen = {}, facts = [], list = obsByNode[n] || [];
      for (var k = lower(obsAt[n] || [], t + 1) - 1; k >= 0 && facts.length < 6; k--) {
        if (seen[list[k][2]]) continue;
        seen[list[k][2]] = true;
        facts.push('<div><b>' + esc(list[k][2]) + '</b> <small>@' + fmt(list[k][0]) +
          '</small> <code>' + esc(list[k][3]) + '</code></div>');
      }
      return '<tr><td>' + esc(n) + '</td><td class="st-' + state + '">' + state + '</td><td>' +
        esc(roles.join(', ')) + '</td><td>' + (facts.join('') || '—') + '</td></tr>';
    });
    $('inspector-time').textContent = fmt(t);
    $('inspector-body').innerHTML = rows.join('');
  }

  // ---- linearization view ---------------------------------------------------------------
  (function () {
    var box = $('lin');
    if (!box || !D.lin) return;
    var L = D.lin;
    var rows = L.steps.map(function (s, k) {
      return '<tr class="lin-step" data-id="' + s.id + '" data-state="' + esc(s.state) +
        '" title="model state after: ' + esc(s.state) + '"><td>' + (k + 1) + '</td><td>#' +
        s.id + '</td><td>' + esc(s.client) + '</td><td>' + esc(s.text) + '</td><td>' +
        fmt(s.call) + ' – ' + (s.ret === null ? '∞' : fmt(s.ret)) + '</td></tr>';
    });
    if (L.blocked) {
      var b = L.blocked;
      rows.push('<tr class="lin-blocked" data-id="' + b.id + '" data-state="' + esc(b.state) +
        '" title="cannot be placed next; model state before it: ' + esc(b.state) +
        '"><td>✗</td><td>#' + b.id + '</td><td>' + esc(b.client) + '</td><td>' + esc(b.text) +
        '</td><td>' + fmt(b.call) + ' – ' + (b.ret === null ? '∞' : fmt(b.ret)) + '</td></tr>');
    }
    $('lin-body').innerHTML = rows.join('');
    var byId = {};
    D.ops.forEach(function (o) { byId[o[0]] = o; });
    Array.prototype.forEach.call(document.querySelectorAll('#lin-body tr'), function (tr) {
      tr.addEventListener('mouseenter', function () {
        var blocked = tr.className === 'lin-blocked';
        $('lin-state').textContent = (blocked ? 'state before the failing op: '
          : 'model state after #' + tr.getAttribute('data-id') + ': ') +
          tr.getAttribute('data-state');
      });
      tr.addEventListener('click', function () {
        var o = byId[Number(tr.getAttribute('data-id'))];
        if (!o) return;
        var end = o[3] < 0 ? END : o[3], pad = Math.max(2000, (end - o[2]) * 2);
        setView(o[2] - pad, end + pad);
        setCursor(o[2]);
      });
    });
  })();

  // ---- plots (uPlot), on the same window and cursor ---------------------------------------
  function faultHook(u) {
    var ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = 'rgba(217, 83, 79, 0.16)';
    D.faults.forEach(function (f) {
      var x0 = u.valToPos(f[0] / 1000, 'x', true), x1 = u.valToPos(f[1] / 1000, 'x', true);
      var lo = u.bbox.left, hi = u.bbox.left + u.bbox.width;
      x0 = Math.max(lo, x0); x1 = Math.min(hi, Math.max(x1, x0 + 2));
      if (x1 > x0) ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
    });
    ctx.restore();
  }
  function plot(el, series, data) {
    var u = new uPlot({
      width: Math.max(300, el.clientWidth), height: 200, series: series,
      scales: { x: { time: false, min: 0, max: END / 1000 } },
      axes: [{ label: 'simulated ms' }, {}],
      cursor: { sync: { key: 'replisim' }, drag: { x: true, y: false } },
      hooks: {
        drawClear: [faultHook],
        setScale: [function (u, key) {
          if (key !== 'x' || syncing) return;
          setView(u.scales.x.min * 1000, u.scales.x.max * 1000, true);
          syncing = true;
          plots.forEach(function (o) {
            if (o !== u) o.setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
          });
          syncing = false;
        }],
        setCursor: [function (u) {
          if (syncing || u.cursor.left === undefined || u.cursor.left < 0) return;
          setCursor(u.posToVal(u.cursor.left, 'x') * 1000, true);
        }],
      },
    }, data, el);
    plots.push(u);
    return u;
  }
  var ms = function (a) { return a.map(function (v) { return v / 1000; }); };
  plot($('latency'), [{ label: 'call (ms)' }, { label: 'latency ms', stroke: '#4a90d9',
    paths: function () { return null; }, points: { show: true, size: 3, fill: '#4a90d9' } }],
  [ms(D.latency.x), D.latency.y]);
  plot($('throughput'), [{ label: 'time (ms)' },
    { label: 'completed ops/s', stroke: '#4a90d9', width: 1.5 },
    { label: 'indefinite ops/s', stroke: '#e0a030', width: 1.5 }],
  [ms(D.throughput.x), D.throughput.ok, D.throughput.info]);

  window.addEventListener('resize', function () {
    plots.forEach(function (u) { u.setSize({ width: Math.max(300, u.root.parentNode.clientWidth),
      height: 200 }); });
    redraw();
  });
  window.replisimReport = {
    view: function () { return [view.t0, view.t1]; },
    /** How long the last redraw of both panels took (responsiveness figure for tests). */
    drawMs: function () { return lastDrawMs; },
    /** The plots' x ranges, in simulated ms (they follow the window). */
    plotRanges: function () {
      return plots.map(function (u) { return [u.scales.x.min, u.scales.x.max]; });
    },
    setView: setView, setCursor: setCursor, zoom: zoom,
  };
  setView(0, END);
  setCursor(D.faults.length > 0 ? D.faults[0][0] : END / 2);
})();
`;
