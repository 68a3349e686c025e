import { html } from 'lit';
import uPlot from 'uplot';
import { Element } from './base.js';
import { getJson } from './api.js';
import { intervalFor, logParams } from './state.js';
import { cssColor, seriesColor } from './colors.js';

/** uPlot's dates in UTC or the browser's zone, as the console shows times. */
export function zoned(tz) {
  return tz === 'utc' ? (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC') : (ts) => new Date(ts * 1e3);
}

/** Windows of counts as uPlot's columns: x in seconds, then one column per key. */
export function columns(windows, keys) {
  const xs = windows.map((w) => Date.parse(w.start) / 1000);
  return [xs, ...keys.map((k) => windows.map((w) => w.data[k] ?? 0))];
}

/**
 * Counts over time above the table, stacked by status or level; dragging across the chart narrows the time range
 * to the part dragged over.
 */
class CountChart extends Element {
  static properties = {
    state: { attribute: false }, range: { attribute: false }, summary: { state: true }, error: { state: true },
  };

  render() {
    return html`<section class="count-chart" aria-labelledby="chart-title">
      <header><h2 id="chart-title">Events over time</h2>
        <label>Stack by <select id="stack" @change=${(e) => this.change({ stack: e.target.value }, { run: true })}>
          <option value="status" ?selected=${this.state.stack === 'status'}>status</option>
          <option value="level" ?selected=${this.state.stack === 'level'}>level</option></select></label>
        <span class="muted">Drag across the chart to zoom in.</span></header>
      ${this.error ? html`<p class="error">${this.error}</p>` : ''}
      <div class="plot" role="img" aria-label=${this.summary || 'No events in this range'}></div>
    </section>`;
  }

  async load() {
    const s = this.state;
    const range = this.range;
    const interval = intervalFor(range);
    this.error = null;
    try {
      const windows = await getJson(`/audit/metrics/${s.stack}/count?${logParams(s, range, { interval })}`);
      this.draw(windows, range);
    } catch (e) {
      this.error = `The chart could not be loaded: ${e.message}`;
    }
  }

  redraw() {
    if (this.windows) this.draw(this.windows, this.range);
  }

  draw(windows, range) {
    this.windows = windows;
    const keys = [...new Set(windows.flatMap((w) => Object.keys(w.data)))].sort();
    const data = columns(windows, keys);
    const totals = keys.map((k, i) => [k, data[i + 1].reduce((a, b) => a + b, 0)]);
    this.summary = `Events over time by ${this.state.stack}: ${totals.map(([k, n]) => `${k || '(none)'} ${n}`)
      .join(', ') || 'none'}`;
    for (let i = 2; i < data.length; i++) data[i] = data[i].map((v, j) => v + data[i - 1][j]);
    const target = this.querySelector('.plot');
    this.plot?.destroy();
    const bars = uPlot.paths.bars({ size: [0.9, 40] });
    const axis = cssColor('--text-muted');
    const grid = cssColor('--border');
    const options = {
      width: Math.max(300, target.clientWidth), height: 150,
      scales: { x: { time: true, range: () => [range.from / 1000, range.to / 1000] } },
      tzDate: zoned(this.state.tz),
      legend: { show: true, live: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      axes: [{ stroke: axis, grid: { stroke: grid, width: 1 } },
        { stroke: axis, grid: { stroke: grid, width: 1 }, size: 56 }],
      series: [{}, ...keys.map((k, i) => ({
        label: k || '(none)', fill: seriesColor(k, i), stroke: seriesColor(k, i), width: 0, paths: bars,
        points: { show: false },
      })).reverse()],
      hooks: { setSelect: [(u) => this.selected(u)] },
    };
    const reversed = [data[0], ...data.slice(1).reverse()];
    this.plot = new uPlot(options, reversed, target);
    this.resizer ??= new ResizeObserver(() => this.plot?.setSize({ width: Math.max(300, target.clientWidth),
      height: 150 }));
    this.resizer.observe(target);
  }

  selected(u) {
    if (u.select.width < 3) return;
    const from = Math.round(u.posToVal(u.select.left, 'x') * 1000);
    const to = Math.round(u.posToVal(u.select.left + u.select.width, 'x') * 1000);
    u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
    if (to > from) this.change({ range: null, from, to }, { run: true });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.resizer?.disconnect();
    this.plot?.destroy();
  }
}
customElements.define('count-chart', CountChart);
