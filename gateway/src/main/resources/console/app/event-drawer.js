import { html } from 'lit';
import { Element, copyText } from './base.js';
import { getJson } from './api.js';
import { formatTime, literal } from './state.js';
import { tone } from './colors.js';
import { narrowed } from './facet-panel.js';
import './history-proof.js';

const VARIABLES = {
  category: 'category', 'source_information.application': 'app', 'source_information.environment': 'env',
  method: 'method', status: 'status', level: 'level', 'actor.origin': 'origin', 'event.name': 'event.name',
  'event.type': 'event.type', 'event.description': 'event.description', 'event.total_duration': 'total_duration',
  'event.latency': 'latency', 'event.cpu_usage': 'cpu_usage', 'event.memory_usage': 'memory_usage',
  'event.affected_resources': 'affected_resources', 'event.stage': 'stage', 'resource.id': 'resource.id',
  'resource.name': 'resource.name', 'resource.type': 'resource.type', id: 'id', event_id: 'event_id',
};

/** Every leaf of an event as [path, value, filter variable or null]; metadata items by their names. */
export function fields(event, prefix = '') {
  const out = [];
  for (const [key, value] of Object.entries(event || {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (key === 'metadata' && !prefix && Array.isArray(value)) {
      for (const item of value) {
        const v = item?.value;
        out.push([`metadata.${item?.name}`, typeof v === 'object' ? JSON.stringify(v) : v,
          typeof v === 'object' ? null : `metadata.${item?.name}`]);
      }
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      out.push(...fields(value, path));
    } else {
      out.push([path, Array.isArray(value) ? JSON.stringify(value) : value, VARIABLES[path] ?? null]);
    }
  }
  return out;
}

/**
 * One event: every field, the raw JSON pretty-printed with copy, filter for or out a value, copy the id and the
 * permalink, the trail of its request as a timeline, and its place in the verifiable history. Esc closes it and
 * returns focus to where it came from.
 */
class EventDrawer extends Element {
  static properties = {
    state: { attribute: false }, event: { attribute: false }, tenant: { attribute: false }, trail: { state: true },
    note: { state: true },
  };

  updated(changed) {
    if (changed.has('event') && changed.get('event')?.id !== this.event?.id) {
      this.trail = null;
      this.note = '';
      if (this.event) this.querySelector('.drawer h2')?.focus();
    }
  }

  render() {
    const e = this.event;
    if (!e) return '';
    const tz = this.state.tz;
    return html`<aside class="drawer" role="dialog" aria-modal="false" aria-labelledby="drawer-title"
        @keydown=${(ev) => { if (ev.key === 'Escape') { ev.stopPropagation(); this.emit('close-event'); } }}>
      <header>
        <h2 id="drawer-title" tabindex="-1">${e.event?.name ?? 'Event'}
          <span class="badge tone-${tone(e.status)}">${e.status ?? ''}</span></h2>
        <button type="button" class="icon" id="drawer-close" aria-label="Close event"
          @click=${() => this.emit('close-event')}>×</button>
      </header>
      <p class="muted">${formatTime(e.timestamp, tz)}</p>
      <div class="actions">
        <button type="button" id="copy-id" @click=${() => this.copy(e.id, 'Id copied.')}>Copy id</button>
        <button type="button" id="copy-link" @click=${() => this.copy(location.href, 'Permalink copied.')}>
          Copy permalink</button>
        <button type="button" id="show-trail" @click=${this.loadTrail}>Request trail</button>
        <span role="status" class="muted">${this.note}</span>
      </div>
      ${this.trail ? this.renderTrail(tz) : ''}
      <history-proof .tenant=${this.tenant} .event=${e}></history-proof>
      <table class="fields"><caption class="visually-hidden">Fields</caption>
        <tbody>${fields(e).map(([path, value, variable]) => html`<tr>
          <th scope="row">${path}</th><td class="value">${value == null ? '' : String(value)}</td>
          <td class="filter">${variable ? html`
            <button type="button" class="icon" aria-label="Filter for ${path}" title="Filter for this value"
              @click=${() => this.filter(variable, value, '=')}>+</button>
            <button type="button" class="icon" aria-label="Filter out ${path}" title="Filter out this value"
              @click=${() => this.filter(variable, value, '!=')}>−</button>` : ''}</td></tr>`)}
        </tbody></table>
      <section class="raw"><header><h3>Raw JSON</h3>
        <button type="button" id="copy-json" @click=${() => this.copy(JSON.stringify(e, null, 2), 'JSON copied.')}>
          Copy JSON</button></header>
        <pre tabindex="0" aria-label="Raw JSON"><code>${JSON.stringify(e, null, 2)}</code></pre></section>
    </aside>`;
  }

  renderTrail(tz) {
    return html`<section class="trail" aria-labelledby="trail-title">
      <h3 id="trail-title">Request trail: ${this.trail.length} ${this.trail.length === 1 ? 'event' : 'events'}</h3>
      <ol class="timeline">${[...this.trail].reverse().map((t) => html`<li class=${t.id === this.event.id
        ? 'current' : ''}>
        <span class="dot tone-${tone(t.status)}" aria-hidden="true"></span>
        <button type="button" class="link" @click=${() => this.emit('open-event', t)}>
          <span class="time">${formatTime(t.timestamp, tz)}</span>
          <strong>${t.event?.name ?? ''}</strong> <span>stage ${t.event?.stage ?? '?'}</span>
          <span class="badge tone-${tone(t.status)}">${t.status ?? ''}</span></button></li>`)}</ol>
    </section>`;
  }

  async loadTrail() {
    try {
      this.trail = await getJson(`/audit/log/${encodeURIComponent(this.event.event_id)}`);
    } catch (err) {
      this.note = `The trail could not be loaded: ${err.message}`;
    }
  }

  async copy(text, done) {
    this.note = (await copyText(text)) ? done : 'Copying was not allowed; select the text instead.';
  }

  filter(variable, value, operator) {
    const lit = typeof value === 'number' ? String(value) : literal(value);
    this.change({ q: narrowed(this.state.q, `${variable} ${operator} ${lit}`) }, { run: true });
  }
}
customElements.define('event-drawer', EventDrawer);
