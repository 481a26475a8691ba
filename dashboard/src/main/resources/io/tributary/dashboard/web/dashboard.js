// The dashboard page: one EventSource, one "snapshot" event per refresh, the whole page redrawn from
// it. Values go into the page as text (textContent), never as HTML.
'use strict';

const charts = {
  payments: echarts.init(document.getElementById('chart-payments')),
  declines: echarts.init(document.getElementById('chart-declines')),
  amountUsd: echarts.init(document.getElementById('chart-amount')),
};
const groupBy = document.getElementById('group-by');
let latest = null;
const seenAlerts = new Set();

// A chart follows its box: a window resized, a phone turned, the layout switching columns.
Object.values(charts).forEach(c => new ResizeObserver(() => c.resize()).observe(c.getDom()));
groupBy.addEventListener('change', () => latest && drawCharts(latest));

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const minuteClock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const integer = new Intl.NumberFormat(undefined);

function connect() {
  const status = document.getElementById('connection');
  const events = new EventSource('/events');
  events.onopen = () => { status.textContent = 'live'; status.className = 'connection live'; };
  // EventSource reconnects by itself; until then the page says its numbers are not moving.
  events.onerror = () => { status.textContent = 'reconnecting…'; status.className = 'connection lost'; };
  events.addEventListener('snapshot', e => draw(JSON.parse(e.data)));
}

function draw(snapshot) {
  latest = snapshot;
  document.getElementById('updated').textContent = 'updated ' + clock.format(new Date(snapshot.generatedAt));
  document.getElementById('window').textContent = 'last ' + snapshot.windowMinutes + ' min';
  document.getElementById('alerts-window').textContent = '(last ' + snapshot.windowMinutes + ' min)';
  drawProblems(snapshot.problems);
  drawCharts(snapshot);
  drawLatestMinute(snapshot.business);
  drawAlerts(snapshot.alerts);
  drawHealth(snapshot.health);
}

function drawProblems(problems) {
  const list = document.getElementById('problems');
  list.hidden = problems.length === 0;
  list.replaceChildren(...problems.map(p => element('li', p)));
}

function drawCharts(snapshot) {
  const business = snapshot.business;
  const minutes = business.minutes.map(m => minuteClock.format(new Date(m)));
  const series = business[groupBy.value];
  for (const [measure, chart] of Object.entries(charts)) {
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 12, top: 28, bottom: 24 },
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0, textStyle: { fontSize: 11 } },
      xAxis: { type: 'category', data: minutes },
      yAxis: { type: 'value' },
      series: series.map(s => ({ name: s.name, type: 'line', stack: 'total', areaStyle: {}, symbol: 'none',
        data: Array.from(s[measure]) })),
    }, { replaceMerge: ['series'] });
  }
}

function drawLatestMinute(business) {
  const label = document.getElementById('latest-minute');
  label.textContent = business.latestMinute == null ? '(no rows yet)' : minuteClock.format(new Date(business.latestMinute));
  label.dataset.minute = business.latestMinute == null ? '' : business.latestMinute;
  rows('latest-minute-table', business.latest, r => {
    const tr = row([cell(r.category), cell(r.country), number(r.payments, 'payments'), number(r.declines, 'declines'),
      number(r.amountUsd, 'amount-usd'), number(r.alerts, 'alerts')]);
    tr.dataset.category = r.category;
    tr.dataset.country = r.country;
    return tr;
  });
}

function drawAlerts(alerts) {
  rows('alerts-by-rule', alerts.byRule, r => {
    const tr = row([cell(r.ruleId), number(r.ruleVersion), number(r.alerts, 'alerts')]);
    tr.dataset.rule = r.ruleId + ' v' + r.ruleVersion;
    return tr;
  });
  rows('latest-alerts', alerts.latest, a => {
    const tr = row([cell(clock.format(new Date(a.detectedAt))), cell(a.ruleId + ' v' + a.ruleVersion),
      cell(a.severity), cell(a.card), cell(a.evidence, 'evidence')]);
    tr.dataset.alertId = a.alertId;
    if (seenAlerts.size > 0 && !seenAlerts.has(a.alertId)) {
      tr.className = 'fresh';
    }
    return tr;
  });
  alerts.latest.forEach(a => seenAlerts.add(a.alertId));
}

function drawHealth(health) {
  rows('checkpoints', health.checkpoints, j => {
    const age = j.lastCompletedAgeMillis;
    const ageCell = cell(age == null ? 'none yet' : seconds(age) + ' ago', 'num age');
    if (age != null && age > 60000) {
      ageCell.classList.add('stale');
    }
    const tr = row([cell(j.job), cell(j.state), ageCell, number(j.completed), number(j.failed)]);
    tr.dataset.job = j.job;
    return tr;
  });
  rows('rates', health.rates, r => {
    const tr = row([cell(r.label), cell(r.topic, 'name'), cell(r.perSecond == null ? '…' : r.perSecond.toFixed(2), 'num rate')]);
    tr.dataset.topic = r.topic;
    return tr;
  });
  rows('consumer-lag', health.lag, g => {
    const tr = row([cell(g.group, 'name'), cell(g.topics.join(', '), 'name'), number(g.lag, 'lag')]);
    tr.dataset.group = g.group;
    return tr;
  });
}

function seconds(millis) {
  return millis < 10000 ? (millis / 1000).toFixed(1) + ' s' : Math.round(millis / 1000) + ' s';
}

function rows(tableId, items, toRow) {
  document.querySelector('#' + tableId + ' tbody').replaceChildren(...items.map(toRow));
}

function row(cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function cell(text, className) {
  return element('td', text, className);
}

function number(value, className) {
  // Amounts arrive as exact decimal strings (cents); counts as integers.
  return element('td', typeof value === 'string' ? value : integer.format(value), className ? 'num ' + className : 'num');
}

function element(tag, text, className) {
  const e = document.createElement(tag);
  e.textContent = text;
  if (className) {
    e.className = className;
  }
  return e;
}

connect();
