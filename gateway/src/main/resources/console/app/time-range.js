import { html } from 'lit';
import { Element } from './base.js';
import { PRESETS, formatTime, fromInputValue, toInputValue } from './state.js';

/** Presets, an absolute from/to, and UTC or local time (always shown with its offset). */
class TimeRange extends Element {
  static properties = { state: { attribute: false }, range: { attribute: false }, invalid: { state: true } };

  render() {
    const s = this.state;
    const r = this.range;
    const offset = formatTime(new Date().toISOString(), s.tz, false).slice(19);
    return html`<fieldset class="time-range">
      <legend class="visually-hidden">Time range</legend>
      <div class="presets" role="group" aria-label="Last">
        ${Object.keys(PRESETS).map((p) => html`<button type="button" aria-pressed=${s.range === p ? 'true' : 'false'}
          @click=${() => this.change({ range: p, from: null, to: null }, { run: true })}>${p}</button>`)}
      </div>
      <label>From <input id="range-from" type="datetime-local" step="1"
        .value=${r ? toInputValue(r.from, s.tz) : ''}></label>
      <label>To <input id="range-to" type="datetime-local" step="1"
        .value=${r ? toInputValue(r.to, s.tz) : ''}></label>
      <button type="button" id="range-apply" @click=${this.apply}>Apply</button>
      <label class="tz">Zone
        <select id="tz" @change=${(e) => this.change({ tz: e.target.value })}>
          <option value="utc" ?selected=${s.tz === 'utc'}>UTC (Z)</option>
          <option value="local" ?selected=${s.tz === 'local'}>Local (${offset === 'Z' ? '+00:00' : offset})</option>
        </select></label>
      ${this.invalid ? html`<span class="error" role="alert">“From” must be before “To”.</span>` : ''}
      <span class="muted range-text" aria-live="off">${r ? `${formatTime(new Date(r.from).toISOString(), s.tz, false)}
        → ${formatTime(new Date(r.to).toISOString(), s.tz, false)}` : ''}</span>
    </fieldset>`;
  }

  apply() {
    const from = fromInputValue(this.querySelector('#range-from').value, this.state.tz);
    const to = fromInputValue(this.querySelector('#range-to').value, this.state.tz);
    this.invalid = !(from < to);
    if (!this.invalid) this.change({ range: null, from, to }, { run: true });
  }
}
customElements.define('time-range', TimeRange);
