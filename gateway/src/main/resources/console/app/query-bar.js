import { html } from 'lit';
import { Element } from './base.js';

const VARIABLES = ['category', 'app', 'env', 'method', 'status', 'level', 'origin', 'event.name', 'event.type',
  'event.description', 'resource.id', 'resource.name', 'resource.type', 'total_duration', 'latency', 'cpu_usage',
  'memory_usage', 'affected_resources', 'stage', 'id', 'event_id', 'time', 'age', 'metadata.', 'REQUEST_METHOD',
  'RESPONSE_STATUS', 'REMOTE_ADDR', 'SEVERITY', 'TX_ID', 'UNIQUE_ID', 'REQUEST_URI', 'REQUEST_HEADERS:', 'ARGS',
  'RULE_ID'];
const OPERATORS = ['=', '!=', '<', '<=', '>', '>=', '@rx', '@contains', '@beginsWith', '@endsWith', '@in', '@sx',
  '@pm', '@ipMatch', '!@rx', '!@contains', '!@in', '!@ipMatch'];
const JOINERS = ['AND', 'OR', 'AND NOT'];
const OPTIONAL = ['env', 'method', 'status', 'origin'];

/** What may come at the caret: the word being typed and the words that fit there. */
export function completions(text) {
  const words = text.match(/'(?:\\.|[^'\\])*'?|"(?:\\.|[^"\\])*"?|\(|\)|[^\s()]+/g) || [];
  const typing = /\s$/.test(text) || text === '' || /\($/.test(text) ? '' : words.pop() || '';
  let position = 0;
  for (const word of words) {
    if (/^(AND|OR|NOT|\()$/i.test(word)) position = 0; else position += 1;
  }
  const pool = position % 3 === 0 ? [...VARIABLES, 'NOT', '('] : position % 3 === 1 ? OPERATORS
    : position % 3 === 2 ? [] : JOINERS;
  const wanted = typing.toLowerCase();
  return { typing, options: pool.filter((o) => o.toLowerCase().startsWith(wanted) && o !== typing).slice(0, 8) };
}

/**
 * The query: the filter language with completion of variables and operators, the structured parameters as chips
 * (category and app choose the log; env, method, status and origin narrow it), and a syntax error from the API shown
 * under the query at its line and column.
 */
class QueryBar extends Element {
  static properties = {
    state: { attribute: false }, choices: { attribute: false }, syntax: { attribute: false },
    options: { state: true }, active: { state: true },
  };

  constructor() {
    super();
    this.options = [];
    this.active = 0;
    this.choices = { category: [], app: [] };
  }

  render() {
    const s = this.state;
    const error = this.syntax;
    return html`<form class="query" role="search" @submit=${this.submit}>
      <div class="chips">
        ${['category', 'app'].map((name) => html`<label class="chip required">
          <span>${name}</span>
          <select id="chip-${name}" @change=${(e) => this.change({ chips: { ...s.chips, [name]: e.target.value } })}>
            ${(this.choices[name] || []).map((c) => html`<option .value=${c.value}
              ?selected=${c.value === s.chips[name]}>${c.value} (${c.count})</option>`)}
            ${s.chips[name] && !(this.choices[name] || []).some((c) => c.value === s.chips[name])
              ? html`<option .value=${s.chips[name]} selected>${s.chips[name]}</option>` : ''}
          </select></label>`)}
        ${OPTIONAL.filter((name) => s.chips[name]).map((name) => html`<span class="chip">
          <span>${name}</span> <strong>${s.chips[name]}</strong>
          <button type="button" class="icon" aria-label="Remove ${name} ${s.chips[name]}"
            @click=${() => this.removeChip(name)}>×</button></span>`)}
        <span class="chip add">
          <select id="chip-new" aria-label="Parameter">
            ${OPTIONAL.filter((name) => !s.chips[name]).map((name) => html`<option>${name}</option>`)}
          </select>
          <input id="chip-value" aria-label="Parameter value" placeholder="value" size="10"
            @keydown=${(e) => { if (e.key === 'Enter') { e.preventDefault(); this.addChip(); } }}>
          <button type="button" @click=${this.addChip}>Add</button>
        </span>
      </div>
      <div class="query-line">
        <label for="query" class="visually-hidden">Filter</label>
        <div class="combo">
          <input id="query" type="text" spellcheck="false" autocomplete="off" .value=${s.q}
            placeholder="Filter, e.g.  method = POST AND status != success   (press / to focus)"
            role="combobox" aria-autocomplete="list" aria-controls="query-options"
            aria-expanded=${this.options.length > 0 ? 'true' : 'false'}
            aria-activedescendant=${this.options.length ? `query-option-${this.active}` : ''}
            aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'query-error' : 'query-help'}
            @input=${this.suggest} @keydown=${this.keys} @blur=${this.blurred}>
          <ul id="query-options" role="listbox" class="options" ?hidden=${!this.options.length}>
            ${this.options.map((o, i) => html`<li id="query-option-${i}" role="option"
              aria-selected=${i === this.active ? 'true' : 'false'}
              @mousedown=${(e) => { e.preventDefault(); this.accept(o); }}>${o}</li>`)}
          </ul>
        </div>
        <button type="submit" class="primary">Run</button>
      </div>
      ${error ? html`<div id="query-error" class="syntax-error" role="alert">
        <pre aria-hidden="true"><code>${this.errorLine(error)}</code></pre>
        <p>Line ${error.line}, column ${error.column}: ${error.text}</p></div>`
        : html`<p id="query-help" class="visually-hidden">Tab or Enter accepts a suggestion.</p>`}
    </form>`;
  }

  errorLine(error) {
    const line = this.state.q.split('\n')[error.line - 1] ?? '';
    return `${line}\n${' '.repeat(Math.max(0, error.column - 1))}^`;
  }

  get input() { return this.querySelector('#query'); }

  focusQuery() {
    this.input.focus();
    this.input.select();
  }

  /** Puts the caret where the error is. */
  showError() {
    const error = this.syntax;
    if (!error || !this.input) return;
    const lines = this.input.value.split('\n');
    const offset = lines.slice(0, error.line - 1).reduce((n, l) => n + l.length + 1, 0) + error.column - 1;
    this.input.focus();
    this.input.setSelectionRange(offset, offset);
  }

  /** Suggestions close soon after the query loses focus (a click on one comes first), unless it is back. */
  blurred() {
    clearTimeout(this.closing);
    this.closing = setTimeout(() => { this.options = []; }, 150);
  }

  suggest() {
    clearTimeout(this.closing);
    const input = this.input;
    const { options } = completions(input.value.slice(0, input.selectionStart));
    this.options = input.value.slice(input.selectionStart).trim() === '' || options.length ? options : [];
    this.active = 0;
  }

  accept(option) {
    const input = this.input;
    const before = input.value.slice(0, input.selectionStart);
    const { typing } = completions(before);
    const after = input.value.slice(input.selectionStart);
    const glue = option.endsWith('.') || option.endsWith(':') || option === '(' ? '' : ' ';
    const head = before.slice(0, before.length - typing.length) + option + glue;
    input.value = head + after;
    input.setSelectionRange(head.length, head.length);
    input.focus();
    this.suggest();
  }

  keys(event) {
    if (!this.options.length) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const n = this.options.length;
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : n - 1)) % n;
    } else if (event.key === 'Tab' || (event.key === 'Enter' && this.active >= 0 && this.navigated)) {
      event.preventDefault();
      this.accept(this.options[this.active]);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      this.options = [];
    }
    this.navigated = event.key === 'ArrowDown' || event.key === 'ArrowUp';
  }

  submit(event) {
    event.preventDefault();
    this.options = [];
    this.change({ q: this.input.value }, { run: true });
  }

  addChip() {
    const name = this.querySelector('#chip-new')?.value;
    const value = this.querySelector('#chip-value')?.value.trim();
    if (name && value) this.change({ chips: { ...this.state.chips, [name]: value } });
  }

  removeChip(name) {
    const chips = { ...this.state.chips };
    delete chips[name];
    this.change({ chips });
  }
}
customElements.define('query-bar', QueryBar);
