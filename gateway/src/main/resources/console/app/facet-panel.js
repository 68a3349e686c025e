import { html } from 'lit';
import { Element } from './base.js';
import { getText, parseCounts } from './api.js';
import { literal } from './state.js';
import { tone } from './colors.js';

const FIELDS = [['status', 'Status'], ['level', 'Level'], ['method', 'Method'], ['env', 'Environment'],
  ['event.name', 'Event'], ['origin', 'Origin']];
const TOP = 6;

/** The query with one more condition, ANDed to it as a whole. */
export function narrowed(query, condition) {
  const q = query.trim();
  if (!q) return condition;
  return /\bOR\b/i.test(q) ? `(${q}) AND ${condition}` : `${q} AND ${condition}`;
}

/** The top values of each categorical field for the current query; a click includes or excludes a value. */
class FacetPanel extends Element {
  static properties = { state: { attribute: false }, facets: { state: true } };

  constructor() {
    super();
    this.facets = [];
  }

  render() {
    return html`<aside class="facets" aria-labelledby="facets-title">
      <h2 id="facets-title">Top values</h2>
      ${this.facets.map(({ field, label, rows, error }) => html`<section class="facet" data-field=${field}>
        <h3>${label}</h3>
        ${error ? html`<p class="muted">${error}</p>` : ''}
        <ul>${rows.slice(0, TOP).map((r) => html`<li>
          <span class="facet-value tone-${tone(r.value)}" title=${r.value}>${r.value === '' ? '(none)' : r.value}</span>
          <span class="facet-count">${r.count.toLocaleString()}</span>
          <button type="button" class="icon include" aria-label="Include ${label} ${r.value || '(none)'}"
            title="Filter for this value" @click=${() => this.pick(field, r.value, '=')}>+</button>
          <button type="button" class="icon exclude" aria-label="Exclude ${label} ${r.value || '(none)'}"
            title="Filter out this value" @click=${() => this.pick(field, r.value, '!=')}>−</button>
          <span class="bar" aria-hidden="true"><span class=${`w${Math.ceil((r.count / rows[0].count) * 10)}`}>
          </span></span>
        </li>`)}</ul>
      </section>`)}
    </aside>`;
  }

  async load(filter) {
    this.facets = await Promise.all(FIELDS.map(async ([field, label]) => {
      try {
        const csv = await getText(`/api/events/count?${new URLSearchParams({ variable: field, filter })}`);
        return { field, label, rows: parseCounts(csv) };
      } catch (e) {
        return { field, label, rows: [], error: e.message };
      }
    }));
  }

  pick(field, value, operator) {
    this.change({ q: narrowed(this.state.q, `${field} ${operator} ${literal(value)}`) }, { run: true });
  }
}
customElements.define('facet-panel', FacetPanel);
