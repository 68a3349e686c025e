import { html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { Element } from './base.js';
import { COLUMNS, formatTime, rememberColumns } from './state.js';
import { tone } from './colors.js';

const TONED = new Set(['status', 'level']);

/**
 * The results, newest first: a sticky header, status and level colours, a remembered column chooser, "load older"
 * over the API's next link, and the live tail's controls. Rows are reached with Tab or the arrow keys; Enter opens.
 */
class EventTable extends Element {
  static properties = {
    state: { attribute: false }, rows: { attribute: false }, total: { attribute: false },
    more: { attribute: false }, loading: { attribute: false }, live: { attribute: false },
    pending: { attribute: false }, paused: { attribute: false }, blocked: { attribute: false },
  };

  render() {
    const cols = this.state.cols;
    const rows = this.rows || [];
    return html`<section class="results" aria-labelledby="results-title">
      <header class="toolbar">
        <h2 id="results-title">Events</h2>
        <span class="count" id="result-count">${this.countText()}</span>
        <span class="spacer"></span>
        <button type="button" id="live" aria-pressed=${this.live ? 'true' : 'false'}
          @click=${() => this.emit('live-toggle')}>${this.live ? '● Live' : 'Live tail'}</button>
        ${this.live && this.paused ? html`<span class="paused" role="status" id="live-paused">
          Paused: ${this.pending} new
          <button type="button" id="live-resume" @click=${() => this.emit('live-resume')}>Resume</button></span>`
          : ''}
        ${this.live ? html`<button type="button" id="live-clear" @click=${() => this.emit('live-clear')}>Clear</button>`
          : ''}
        <details class="columns">
          <summary>Columns</summary>
          <fieldset><legend class="visually-hidden">Visible columns</legend>
          ${Object.entries(COLUMNS).map(([key, c]) => html`<label><input type="checkbox" .checked=${cols.includes(key)}
            data-column=${key} @change=${(e) => this.toggle(key, e.target.checked)}> ${c.label}</label>`)}
          </fieldset>
        </details>
        <button type="button" id="export-csv" @click=${() => this.emit('export', 'csv')}>Export CSV</button>
        <button type="button" id="export-ndjson" @click=${() => this.emit('export', 'ndjson')}>Export NDJSON</button>
      </header>
      <div class="table-scroll" @scroll=${this.scrolled} tabindex="-1">
        <table aria-describedby="result-count">
          <colgroup>${cols.map((c) => html`<col class="col-${c.replace('.', '-')}">`)}</colgroup>
          <thead><tr>${cols.map((c) => html`<th scope="col">${COLUMNS[c].label}</th>`)}</tr></thead>
          <tbody @keydown=${this.keys}>
            ${repeat(rows, (e) => e.id, (e) => html`<tr tabindex="0" data-id=${e.id}
              aria-current=${this.state.ev === e.id ? 'true' : 'false'} @click=${() => this.open(e)}>
              ${cols.map((c) => this.cell(c, e))}</tr>`)}
          </tbody>
        </table>
        ${!rows.length && !this.loading ? html`<p class="empty">${this.blocked
          ? 'Correct the filter above to see events.'
          : 'No events match in this range. Widen the time range or change the filter.'}
          ${!this.blocked && this.state.range !== '30d' ? html`<button type="button" id="widen"
            @click=${() => this.change({ range: '30d', from: null, to: null }, { run: true })}>
            Show the last 30 days</button>` : ''}</p>` : ''}
        ${this.more ? html`<button type="button" id="load-older" class="wide" ?disabled=${this.loading}
          @click=${() => this.emit('load-older')}>Load older events</button>` : ''}
      </div>
    </section>`;
  }

  cell(column, event) {
    const value = COLUMNS[column].get(event);
    if (column === 'time') return html`<td class="time">${formatTime(value, this.state.tz)}</td>`;
    if (TONED.has(column)) {
      return html`<td><span class="badge tone-${tone(value)}">${value ?? ''}</span></td>`;
    }
    return html`<td>${value ?? ''}</td>`;
  }

  countText() {
    const shown = (this.rows || []).length;
    if (this.loading && !shown) return 'Loading…';
    if (this.blocked) return 'No results: the filter has an error';
    const total = this.total;
    return total == null ? `${shown.toLocaleString()} events shown`
      : `${shown.toLocaleString()} of ${total.toLocaleString()} events`;
  }

  toggle(key, on) {
    const cols = on ? Object.keys(COLUMNS).filter((c) => c === key || this.state.cols.includes(c))
      : this.state.cols.filter((c) => c !== key);
    if (!cols.length) return;
    rememberColumns(cols);
    this.change({ cols });
  }

  open(event) { this.emit('open-event', event); }

  keys(event) {
    const row = event.target.closest('tr');
    if (!row) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.open(this.rows.find((e) => e.id === row.dataset.id));
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      (event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling)?.focus();
    }
  }

  scrolled(event) { this.emit('table-scroll', event.target.scrollTop); }

  focusRow(id) {
    const row = [...this.querySelectorAll('tbody tr')].find((r) => r.dataset.id === id);
    row?.focus();
    return Boolean(row);
  }
}
customElements.define('event-table', EventTable);
