/* zhizao dashboard charts: plotly.js (served from the plotly Python package, no network). */
(function () {
  'use strict';
  var CFG = {displaylogo: false, responsive: true};
  var FONT = {family: '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif', size: 12};
  var SEQ = ['#fff7ec', '#fee8c8', '#fdd49e', '#fdbb84', '#fc8d59', '#ef6548', '#d7301f', '#990000'];
  var DIV = ['#b2182b', '#ef8a62', '#fddbc7', '#f7f7f7', '#d1e5f0', '#67a9cf', '#2166ac'];
  var STATUS = {covered: '#2e7d32', thin: '#ef8f00', gap: '#ffffff'};

  var L = {scale: 1e8, money_unit: '亿', money_axis: '亿元', firms_unit: '家企业', suppressed: '已隐去', output: '产值',
           lq: 'LQ', extend: '延链', stages: ['上游', '中游', '下游'], own_system: '', thin_rule: {}};
  function lab() { return Object.assign({}, L, zz.L || {}); }
  function yi(v) { return v == null ? null : v / lab().scale; }
  function pct(v) { return v == null ? '—' : (v * 100).toFixed(1) + '%'; }
  function fmt(v, measure, metric) {
    if (v == null) return '—';
    if (measure !== 'level') return pct(v);
    if (metric === 'firms' || metric === 'employees') return Math.round(v).toLocaleString();
    if (['land_mu', 'energy_tce', 'emission_equiv'].indexOf(metric) >= 0) return Math.round(v).toLocaleString();
    return (v / lab().scale).toFixed(1) + ' ' + lab().money_unit;
  }
  function lerpColor(scale, t) {
    t = Math.max(0, Math.min(1, t));
    var i = Math.min(scale.length - 2, Math.floor(t * (scale.length - 1)));
    var f = t * (scale.length - 1) - i;
    function h(c) { return [parseInt(c.substr(1, 2), 16), parseInt(c.substr(3, 2), 16), parseInt(c.substr(5, 2), 16)]; }
    var a = h(scale[i]), b = h(scale[i + 1]);
    return 'rgb(' + [0, 1, 2].map(function (k) { return Math.round(a[k] + (b[k] - a[k]) * f); }).join(',') + ')';
  }
  function plotlyScale(scale) { return scale.map(function (c, i) { return [i / (scale.length - 1), c]; }); }
  function el(id) { return document.getElementById(id); }
  function shortName(s) {          // a region's name on a crowded axis: without its kind (District, County ...)
    s = String(s == null ? '' : s).replace(/\s*\(.*?\)/g, '');
    return /[\u4e00-\u9fff]/.test(s) ? s : s.replace(/ (Autonomous County|District|County|New Area)$/, '');
  }
  function wrap(s, n) {            // a long category label on several lines: at spaces, or every n characters
    s = String(s == null ? '' : s);
    if (s.indexOf(' ') < 0) { var out = []; for (var i = 0; i < s.length; i += Math.max(4, n / 2)) out.push(s.slice(i, i + Math.max(4, n / 2))); return out.join('<br>'); }
    var lines = [], cur = '';
    s.split(' ').forEach(function (w) { if (cur && (cur + ' ' + w).length > n) { lines.push(cur); cur = w; } else { cur = cur ? cur + ' ' + w : w; } });
    if (cur) lines.push(cur);
    return lines.join('<br>');
  }
  function done(id) { var e = el(id); if (e) e.setAttribute('data-rendered', '1'); }

  function rings(geom) {
    var polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
    var xs = [], ys = [];
    polys.forEach(function (poly) {
      poly.forEach(function (ring) {
        ring.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); });
        xs.push(null); ys.push(null);
      });
    });
    return [xs, ys];
  }
  function centroid(geom) {
    var polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates, best = null, area = -1;
    polys.forEach(function (poly) {
      var r = poly[0], a = 0, cx = 0, cy = 0;
      for (var i = 0; i < r.length - 1; i++) {
        var c = r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
        a += c; cx += (r[i][0] + r[i + 1][0]) * c; cy += (r[i][1] + r[i + 1][1]) * c;
      }
      if (Math.abs(a) > area) { area = Math.abs(a); best = [cx / (3 * a), cy / (3 * a)]; }
    });
    return best;
  }

  var zz = {};

  zz.choropleth = function (id, geo, rows, opts) {
    var box = el(id); if (!box) return;
    var money = opts.measure === 'level' && ['firms', 'employees', 'land_mu', 'energy_tce', 'emission_equiv'].indexOf(opts.metric) < 0;
    rows = rows.map(function (r) { var o = Object.assign({}, r); o.raw = r.value; if (money && r.value != null) o.value = r.value / lab().scale; return o; });
    var byCode = {}; rows.forEach(function (r) { byCode[r.code] = r; });
    var vals = rows.map(function (r) { return r.value; }).filter(function (v) { return v != null; });
    var diverging = opts.measure === 'growth';
    var lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals);
    if (diverging) { var m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; lo = -m; hi = m; }
    if (!(hi > lo)) { hi = lo + 1; }
    var scale = diverging ? DIV : SEQ;
    var traces = [], codes = [], lx = [], ly = [], lt = [];
    geo.features.forEach(function (f) {
      var code = f.properties.code, r = byCode[code], v = r ? r.value : null;
      var xy = rings(f.geometry);
      var name = (r && r.name) || f.properties.name || f.properties.name_zh;
      var text = name + '<br>' + (r && r.suppressed ? '（' + lab().suppressed + '）' : fmt(r ? r.raw : null, opts.measure, opts.metric)) +
                 (r ? '<br>' + r.firms + ' ' + lab().firms_unit : '') + (f.properties.union_label ? '<br>' + f.properties.union_label : '');
      traces.push({type: 'scatter', mode: 'lines', x: xy[0], y: xy[1], fill: 'toself', hoveron: 'fills',
                   fillcolor: v == null ? '#cfd8dc' : lerpColor(scale, (v - lo) / (hi - lo)),
                   line: {color: '#ffffff', width: 0.8}, text: text, hoverinfo: 'text', showlegend: false,
                   name: name});
      codes.push(code);
      var c = centroid(f.geometry);
      if (c) { lx.push(c[0]); ly.push(c[1]); lt.push(f.properties.short || name); }
    });
    traces.push({type: 'scatter', mode: 'text', x: lx, y: ly, text: lt, hoverinfo: 'skip', showlegend: false,
                 textfont: {size: 9, color: '#37474f'}});
    traces.push({type: 'scatter', mode: 'markers', x: [null], y: [null], hoverinfo: 'skip', showlegend: false,
                 marker: {color: [lo, hi], cmin: lo, cmax: hi, colorscale: plotlyScale(scale), showscale: true,
                          colorbar: {thickness: 12, len: 0.7, tickformat: opts.measure === 'level' ? ',.0f' : '.0%',
                                     ticksuffix: money ? ' ' + lab().money_unit : ''}}});
    Plotly.newPlot(box, traces, {
      margin: {l: 0, r: 0, t: 0, b: 0}, font: FONT, hovermode: 'closest', dragmode: 'pan',
      xaxis: {visible: false, fixedrange: false}, yaxis: {visible: false, scaleanchor: 'x', scaleratio: 1.155},
      plot_bgcolor: '#ffffff', paper_bgcolor: '#ffffff'
    }, CFG).then(function () { done(id); });
    box.on('plotly_click', function (ev) {
      var k = ev.points[0].curveNumber;
      if (k < codes.length && opts.link) location.href = opts.link + codes[k];
    });
  };

  zz.groupShares = function (id, groups, lang, labels) {
    var box = el(id); if (!box) return;
    var keys = ['output_value_share', 'revenue_share', 'fixed_investment_share'];
    var names = groups.map(function (g) { return wrap(g.name, 12); });
    var traces = keys.map(function (k, i) {
      return {type: 'bar', name: labels[i], x: names, y: groups.map(function (g) { return g[k]; }),
              text: groups.map(function (g) { return pct(g[k]); }), textposition: 'outside', cliponaxis: false};
    });
    Plotly.newPlot(box, traces, {margin: {l: 40, r: 10, t: 10, b: 80}, font: FONT, barmode: 'group',
      xaxis: {tickangle: 0, automargin: true}, yaxis: {tickformat: '.0%'}, legend: {orientation: 'h', y: 1.12}}, CFG)
      .then(function () { done(id); });
  };

  zz.series = function (id, rows, lang, labels, third) {
    var box = el(id); if (!box || !rows) return;
    third = third || 'firms';
    var years = rows.map(function (r) { return r.year; });
    var traces = [
      {type: 'scatter', mode: 'lines+markers', name: labels[0] + ' (' + lab().money_unit + ')', x: years, y: rows.map(function (r) { return yi(r.output_value); })},
      {type: 'scatter', mode: 'lines+markers', name: labels[1] + ' (' + lab().money_unit + ')', x: years, y: rows.map(function (r) { return yi(r.revenue); })},
      {type: 'bar', name: labels[2], x: years, y: rows.map(function (r) { return r[third]; }), yaxis: 'y2', opacity: 0.35}
    ];
    Plotly.newPlot(box, traces, {margin: {l: 50, r: 50, t: 10, b: 30}, font: FONT,
      yaxis: {title: {text: lab().money_axis}, rangemode: 'tozero'}, yaxis2: {overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false},
      legend: {orientation: 'h', y: 1.12}, xaxis: {dtick: 1}}, CFG).then(function () { done(id); });
  };

  zz.clusterBars = function (id, rows, lang, rootSystem, systems) {
    var box = el(id); if (!box) return;
    rows = rows.filter(function (r) { return r.output_value != null; })
               .sort(function (a, b) { return a.output_value - b.output_value; }).slice(-16);
    var sys = function (r) { return r.system_id_key || r.system_id; };
    var own = function (r) { return rootSystem && sys(r) && sys(r) !== rootSystem; };
    // a district's own cluster is marked with its system's label (several systems may name a cluster alike)
    var tr = {type: 'bar', orientation: 'h', y: rows.map(function (r) { return r.cluster_name + (own(r) ? ' *' + ((systems || {})[sys(r)] || '') : ''); }),
              x: rows.map(function (r) { return yi(r.output_value); }),
              text: rows.map(function (r) { return pct(r.output_value_growth); }), textposition: 'outside', cliponaxis: false,
              marker: {color: rows.map(function (r) { return (r.output_value_growth || 0) >= 0 ? '#ef6548' : '#90a4ae'; })},
              customdata: rows.map(function (r) { return r.cluster_id; }), hovertemplate: '%{y}<br>%{x:.1f} ' + lab().money_unit + '<extra></extra>'};
    var note = rows.some(own) ? [{xref: 'paper', yref: 'paper', x: 1, y: 1.0, xanchor: 'right', yanchor: 'bottom',
                                  showarrow: false, text: '* ' + lab().own_system, font: {size: 11, color: '#6b7785'}}] : [];
    Plotly.newPlot(box, [tr], {margin: {l: 10, r: 50, t: 24, b: 40}, font: FONT, xaxis: {title: {text: lab().money_axis}},
                               yaxis: {automargin: true}, annotations: note}, CFG)
      .then(function () { done(id); });
    box.on('plotly_click', function (ev) { var c = ev.points[0].customdata; if (c) location.href = '/clusters/' + c; });
  };

  zz.classes = function (id, row) {
    var box = el(id); if (!box) return;
    var ks = Object.keys(row).filter(function (k) { return k.indexOf('class_') === 0; });
    var colors = {A: '#2e7d32', B: '#7cb342', C: '#ef8f00', D: '#c62828'};
    Plotly.newPlot(box, [{type: 'bar', x: ks.map(function (k) { return k.slice(6); }), y: ks.map(function (k) { return row[k]; }),
      marker: {color: ks.map(function (k) { return colors[k.slice(6)] || '#90a4ae'; })}, text: ks.map(function (k) { return row[k]; }), textposition: 'outside', cliponaxis: false}],
      {margin: {l: 40, r: 10, t: 10, b: 30}, font: FONT}, CFG).then(function () { done(id); });
  };

  zz.quadrants = function (id, rows, lang, labels) {
    var box = el(id); if (!box) return;
    var colors = {strength: '#2e7d32', opportunity: '#1565c0', weakness: '#9e9e9e', threat: '#c62828', 'possible entrant': '#ef8f00'};
    var groups = {};
    rows.forEach(function (r) { var q = r.quadrant_key || r.quadrant || 'other'; (groups[q] = groups[q] || []).push(r); });
    var traces = Object.keys(groups).map(function (q) {
      var g = groups[q];
      return {type: 'scatter', mode: 'markers', name: g[0].quadrant || q, x: g.map(function (r) { return r.feasibility; }),
              y: g.map(function (r) { return r.attractiveness; }), text: g.map(function (r) { return r.name + ' (' + r.code + ')<br>' + (r.reason || '').replace(/[;；] /g, '<br>'); }),
              hoverinfo: 'text', marker: {size: g.map(function (r) { return (r.kind_key || r.kind) === 'cluster' ? 13 : 7; }), color: colors[q] || '#607d8b', opacity: 0.75,
              line: {width: 1, color: '#fff'}}};
    });
    var top = rows.filter(function (r) { return (r.kind_key || r.kind) === 'cluster' && r.rank <= 5; });
    traces.push({type: 'scatter', mode: 'text', x: top.map(function (r) { return r.feasibility; }), y: top.map(function (r) { return r.attractiveness; }),
                 text: top.map(function (r) { return r.name; }), textposition: 'top center', showlegend: false, hoverinfo: 'skip', textfont: {size: 10}});
    Plotly.newPlot(box, traces, {margin: {l: 50, r: 10, t: 10, b: 40}, font: FONT, hovermode: 'closest',
      xaxis: {title: {text: labels[0]}}, yaxis: {title: {text: labels[1]}},
      shapes: [{type: 'line', x0: 0.5, x1: 0.5, yref: 'paper', y0: 0, y1: 1, line: {dash: 'dot', color: '#90a4ae'}},
               {type: 'line', xref: 'paper', x0: 0, x1: 1, y0: 0.5, y1: 0.5, line: {dash: 'dot', color: '#90a4ae'}}],
      legend: {orientation: 'h', y: 1.1}}, CFG).then(function () { done(id); });
  };

  zz.contributions = function (id, rows, lang) {
    var box = el(id); if (!box) return;
    rows = rows.filter(function (r) { return r.output_value != null; }).slice(0, 20);
    Plotly.newPlot(box, [
      {type: 'bar', name: lab().output + ' (' + lab().money_unit + ')', x: rows.map(function (r) { return shortName(r.region_name); }), y: rows.map(function (r) { return yi(r.output_value); }),
       customdata: rows.map(function (r) { return r.region_code; }), marker: {color: '#ef6548'}},
      {type: 'scatter', mode: 'markers', name: lab().lq, yaxis: 'y2', x: rows.map(function (r) { return shortName(r.region_name); }), y: rows.map(function (r) { return r.lq; }),
       marker: {color: '#1565c0', size: 9, symbol: 'diamond'}}
    ], {margin: {l: 50, r: 40, t: 10, b: 90}, font: FONT, yaxis: {title: {text: lab().money_axis}},
        yaxis2: {overlaying: 'y', side: 'right', title: {text: lab().lq}, showgrid: false, rangemode: 'tozero'},
        legend: {orientation: 'h', y: 1.12},
        shapes: [{type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y2', y0: 1, y1: 1, line: {dash: 'dot', color: '#1565c0', width: 1}}]}, CFG)
      .then(function () { done(id); });
    box.on('plotly_click', function (ev) { var c = ev.points[0].customdata; if (c) location.href = '/regions/' + c; });
  };

  zz.chainMap = function (id, ch, lang, labels) {
    var box = el(id); if (!box) return;
    var pos = {}; ch.nodes.forEach(function (n) { pos[n.id] = n; });
    var ex = [], ey = [];
    ch.edges.forEach(function (e) {
      var a = pos[e.from_node], b = pos[e.to_node]; if (!a || !b) return;
      ex.push(a.x, b.x, null); ey.push(a.y, b.y, null);
    });
    var traces = [{type: 'scatter', mode: 'lines', x: ex, y: ey, hoverinfo: 'skip', showlegend: false,
                   line: {color: '#b0bec5', width: 1}}];
    var groups = {covered: [], thin: [], gap: [], none: []};
    ch.nodes.forEach(function (n) { var s = n.coverage && n.coverage.status; (groups[s] || groups.none).push(n); });
    Object.keys(groups).forEach(function (s) {
      var g = groups[s]; if (!g.length) return;
      traces.push({type: 'scatter', mode: 'markers+text', name: labels[s] || s, x: g.map(function (n) { return n.x; }), y: g.map(function (n) { return n.y; }),
        text: g.map(function (n) { return (lang === 'en' && n.name_en ? n.name_en : n.name_zh); }), textposition: 'middle right',
        textfont: {size: 11}, customdata: g.map(function (n) { return n.id; }),
        hovertext: g.map(function (n) {
          var c = n.coverage || {};
          var nm = (lang === 'en' && n.name_en ? n.name_en : n.name_zh);
          return nm + ' · ' + n.industry_code + '<br>' + (labels.firms) + ': ' + (c.firms == null ? '—' : c.firms) +
                 (c.output != null ? '<br>' + lab().output + ' ' + (c.output / lab().scale).toFixed(2) + ' ' + lab().money_unit : (c.suppressed ? '<br>（' + lab().suppressed + '）' : '')) +
                 (c.status ? '<br>' + (labels[c.status] || c.status) + (c.thin_rule ? ' (' + (lab().thin_rule[c.thin_rule] || c.thin_rule) + ')' : '') : '') +
                 (c.extend ? '<br>' + lab().extend : '');
        }), hoverinfo: 'text',
        marker: {size: 18, color: s === 'none' ? '#cfd8dc' : STATUS[s], symbol: 'circle',
                 line: {width: g.map(function (n) { return n.coverage && n.coverage.extend ? 4 : (s === 'gap' ? 3 : 1); }),
                        color: g.map(function (n) { return n.coverage && n.coverage.extend ? '#6a1b9a' : (s === 'gap' ? '#c62828' : '#ffffff'); })}}});
    });
    var stageNames = lab().stages;
    var ys = ch.nodes.map(function (n) { return n.y; });
    var top = Math.max.apply(null, ys.concat([0])) + 1;
    Plotly.newPlot(box, traces, {margin: {l: 10, r: 10, t: 10, b: 10}, font: FONT, hovermode: 'closest',
      xaxis: {visible: false, range: [-0.25, 2.9]}, yaxis: {visible: false},
      legend: {orientation: 'h', y: -0.02},
      annotations: stageNames.map(function (s, i) { return {x: i, y: top, text: '<b>' + s + '</b>', showarrow: false, font: {size: 14}}; })}, CFG)
      .then(function () { done(id); });
  };

  zz.suppliers = function (id, rows, lang) {
    var box = el(id); if (!box) return;
    var by = {};
    rows.forEach(function (r) { var k = shortName(r.supplier_region_name || r.supplier_region); by[k] = (by[k] || 0) + (r.amount || 0); });
    var ks = Object.keys(by).sort(function (a, b) { return by[b] - by[a]; }).slice(0, 15);
    Plotly.newPlot(box, [{type: 'bar', x: ks, y: ks.map(function (k) { return by[k] / lab().scale; }), marker: {color: '#5c6bc0'}}],
      {margin: {l: 50, r: 10, t: 10, b: 80}, font: FONT, yaxis: {title: {text: lab().money_axis}}}, CFG).then(function () { done(id); });
  };

  zz.showFact = function (fid) {
    document.querySelectorAll('mark.focus, li.focus').forEach(function (e) { e.classList.remove('focus'); });
    var hit = null;
    document.querySelectorAll('mark[data-facts]').forEach(function (m) {
      if (!hit && m.dataset.facts.split(' ').indexOf(fid) >= 0) hit = m;
    });
    document.querySelectorAll('li.fact').forEach(function (li) { if (li.dataset.fact === fid) li.classList.add('focus'); });
    if (hit) { hit.classList.add('focus'); hit.scrollIntoView({block: 'center'}); }
  };

  window.zz = zz;
})();
