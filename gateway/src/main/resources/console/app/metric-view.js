import { html } from 'lit';
import uPlot from 'uplot';
import { Element } from './base.js';
import { getJson } from './api.js';
import { intervalFor, logParams } from './state.js';
import { cssColor, seriesColor } from './colors.js';
import { zoned } from './count-chart.js';

const AGGREGATIONS = ['mean', 'sum', 'count', 'min', 'max', 'median', 'p50', 'p90', 'p95', 'p99', 'stddev', 'spread',
  'first', 'last'];
const GROUPS = ['', 'status', 'level', 'method', 'env', 'app', 'origin', 'event_name', 'event_type', 'resource_type'];

/** Charts of the numeric fields and custom metrics: aggregation, interval and group by, over the current query. */
class MetricView extends Element {
  static properties = {
    state: { attribute: false }, range: { attribute: false }, metrics: { state: true }, error: { state: true },
    summary: { state: true },
  };

  constructor() {
    super();
    this.metrics = [];
  }

  render() {
    const s = this.state;
    return html`<section class="metrics" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      <form class="metric-form" @change=${this.changed} @submit=${(e) => e.preventDefault()}>
        <label>Metric <select id="metric" name="metric">
          ${this.metrics.map((m) => html`<option ?selected=${m === s.metric}>${m}</option>`)}</select></label>
        <label>Aggregation <select id="agg" name="agg">
          ${AGGREGATIONS.map((a) => html`<option ?selected=${a === s.agg}>${a}</option>`)}</select></label>
        <label>Interval <input id="interval" name="interval" size="5" .value=${s.interval}
          placeholder=${intervalFor(this.range)} pattern="[0-9]+(ms|s|m|h|d|w)"></label>
        <label>Group by <select id="group" name="group">
          ${GROUPS.map((g) => html`<option value=${g} ?selected=${g === s.group}>${g || '(none)'}</option>`)}
        </select></label>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <div class="plot metric-plot" role="img" aria-label=${this.summary || 'No values in this range'}></div>
    </section>`;
  }

  changed() {
    const form = new FormData(this.querySelector('form'));
    this.change({ metric: form.get('metric'), agg: form.get('agg'), interval: form.get('interval'),
      group: form.get('group') }, { run: true });
  }

  async load() {
    this.error = null;
    try {
      if (!this.metrics.length) this.metrics = await getJson('/audit/metrics');
      const s = this.state;
      const metric = s.metric || this.metrics[0];
      if (!metric) return;
      const extra = { agg: s.agg, interval: s.interval || intervalFor(this.range) };
      if (s.group) extra.group_by = s.group;
      const groups = await getJson(`/audit/metrics/${encodeURIComponent(metric)}?${logParams(s, this.range, extra)}`);
      this.draw(groups, metric);
    } catch (e) {
      this.error = `The metric could not be loaded: ${e.message}`;
    }
  }

  redraw() {
    if (this.groups) this.draw(this.groups, this.drawn);
  }

  draw(groups, metric) {
    this.groups = groups;
    this.drawn = metric;
    const xs = [...new Set(groups.flatMap((g) => g.data.map((d) => Date.parse(d.start) / 1000)))].sort((a, b) => a - b);
    const data = [xs, ...groups.map((g) => {
      const byX = new Map(g.data.map((d) => [Date.parse(d.start) / 1000, d.value]));
      return xs.map((x) => byX.get(x) ?? null);
    })];
    this.summary = `${this.state.agg} of ${metric}: ${groups.length} series, ${xs.length} windows`;
    const target = this.querySelector('.metric-plot');
    this.plot?.destroy();
    const axis = cssColor('--text-muted');
    this.plot = new uPlot({
      width: Math.max(300, target.clientWidth), height: 320,
      scales: { x: { time: true, range: () => [this.range.from / 1000, this.range.to / 1000] } },
      tzDate: zoned(this.state.tz),
      axes: [{ stroke: axis, grid: { stroke: cssColor('--border'), width: 1 } },
        { stroke: axis, size: 60, grid: { stroke: cssColor('--border'), width: 1 } }],
      series: [{}, ...groups.map((g, i) => ({ label: g.group_key || '(none)', stroke: seriesColor(g.group_key, i),
        width: 2, spanGaps: false, points: { show: true, size: 7 } }))],
    }, data, target);
  }
}
customElements.define('metric-view', MetricView);
