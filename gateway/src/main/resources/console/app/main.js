import { html } from 'lit';
import { Element } from './base.js';
import { getJson, getText, nextLink, parseCounts, request, session, signOut, whenUnauthorized } from './api.js';
import { commandFilter, fromHash, literal, logParams, resolveRange, toHash } from './state.js';
import './sign-in.js';
import './query-bar.js';
import './time-range.js';
import './count-chart.js';
import './facet-panel.js';
import './event-table.js';
import './event-drawer.js';
import './metric-view.js';
import './admin-view.js';
import { exportEvents } from './export.js';

const PAGE = 100;
const RUNS = ['q', 'tz', 'chips', 'range', 'from', 'to', 'view', 'stack', 'metric', 'agg', 'interval', 'group'];
const THEMES = ['system', 'dark', 'light'];

/** The console: signed-in user, the state (kept in the URL), and the loading of what the current view shows. */
class AuditConsole extends Element {
  static properties = {
    user: { state: true }, state: { state: true }, rows: { state: true }, next: { state: true },
    total: { state: true }, loading: { state: true }, syntax: { state: true }, error: { state: true },
    choices: { state: true }, open: { state: true }, live: { state: true }, paused: { state: true },
    pending: { state: true }, announcement: { state: true }, range: { state: true }, theme: { state: true },
    notice: { state: true },
  };

  constructor() {
    super();
    this.state = fromHash(location.hash);
    this.range = resolveRange(this.state);
    this.rows = [];
    this.pending = [];
    this.choices = { category: [], app: [] };
    this.seq = 0;
    this.theme = localStorage.getItem('auditlog.theme') || 'system';
    this.applyTheme();
    whenUnauthorized(() => this.leave('Your session has ended. Sign in again.'));
    addEventListener('popstate', () => { this.state = fromHash(location.hash); this.run(); });
    addEventListener('keydown', (e) => this.keys(e));
    this.addEventListener('state-change', (e) => this.changed(e.detail));
    this.addEventListener('open-event', (e) => this.openEvent(e.detail));
    this.addEventListener('close-event', () => this.closeEvent());
    this.addEventListener('load-older', () => this.loadOlder());
    this.addEventListener('live-toggle', () => this.toggleLive());
    this.addEventListener('live-resume', () => this.resume());
    this.addEventListener('live-clear', () => this.clear());
    this.addEventListener('table-scroll', (e) => this.scrolled(e.detail));
    this.addEventListener('export', (e) => this.export(e.detail));
    this.addEventListener('signed-in', () => this.begin());
    if (session.token) this.begin();
  }

  /** The page's "Loading" placeholder goes when the console first renders. */
  createRenderRoot() {
    this.replaceChildren();
    return this;
  }

  render() {
    if (!this.user) {
      return session.token ? html`<p class="loading">Loading the console…</p>`
        : html`${this.noticeBar()}<sign-in></sign-in>`;
    }
    const s = this.state;
    const views = [['events', 'Events'], ['metrics', 'Metrics'], ['tokens', 'API tokens'],
      ...(this.user.is_admin ? [['users', 'Users']] : [])];
    return html`<header class="top">
        <h1 class="brand">auditlog</h1>
        <nav aria-label="Console">${views.map(([v, label]) => html`<button type="button" id="nav-${v}"
          aria-current=${s.view === v ? 'page' : 'false'} @click=${() => this.changed({ patch: { view: v } })}>
          ${label}</button>`)}</nav>
        <span class="spacer"></span>
        <span class="muted" id="whoami">${this.user.username}${this.user.view ? ' (limited view)' : ''}</span>
        <button type="button" id="theme" @click=${this.cycleTheme}>Theme: ${this.theme}</button>
        <button type="button" id="sign-out" @click=${() => this.leave('You are signed out.')}>Sign out</button>
      </header>
      <div class="visually-hidden" role="status" aria-live="polite" id="announce">${this.announcement}</div>
      <main id="main">
        ${s.view === 'events' || s.view === 'metrics' ? html`<query-bar .state=${s} .choices=${this.choices}
          .syntax=${this.syntax}></query-bar><time-range .state=${s} .range=${this.range}></time-range>` : ''}
        ${this.error ? html`<p class="error banner" role="alert">${this.error}</p>` : ''}
        ${s.view === 'events' ? this.events() : ''}
        ${s.view === 'metrics' ? html`<metric-view .state=${s} .range=${this.range}></metric-view>` : ''}
        ${s.view === 'tokens' ? html`<token-view .state=${s}></token-view>` : ''}
        ${s.view === 'users' ? html`<user-view></user-view>` : ''}
      </main>`;
  }

  events() {
    if (!this.choices.category.length && !this.loading) {
      return html`<section class="empty-state"><h2>No events yet</h2>
        <p>Send one with your access key (<code>GET /users/access-key/me</code>) to <code>POST /audit/log</code>, as
        the README's example shows; it appears here within seconds.</p></section>`;
    }
    return html`<div class="workspace ${this.open ? 'with-drawer' : ''}">
      <facet-panel .state=${this.state}></facet-panel>
      <div class="center">
        <count-chart .state=${this.state} .range=${this.range}></count-chart>
        <event-table .state=${this.state} .rows=${this.rows} .total=${this.total} .more=${Boolean(this.next)}
          .loading=${this.loading} .blocked=${Boolean(this.syntax || this.error)} .live=${this.live}
          .paused=${this.paused} .pending=${this.pending.length}>
        </event-table>
      </div>
      <event-drawer .state=${this.state} .event=${this.open} .tenant=${this.user.id}></event-drawer>
    </div>`;
  }

  noticeBar() {
    return this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : '';
  }

  async begin() {
    try {
      this.user = await getJson('/users/me');
    } catch {
      this.leave('Sign in to continue.');
      return;
    }
    this.notice = null;
    if (this.state.view === 'users' && !this.user.is_admin) this.state = { ...this.state, view: 'events' };
    await this.loadChoices();
    await this.run();
    if (this.state.ev) this.openPermalink(this.state.ev);
  }

  leave(notice) {
    signOut();
    this.stopLive();
    Object.assign(this, { user: null, rows: [], open: null, notice, total: null });
  }

  async loadChoices() {
    try {
      const categories = parseCounts(await getText('/api/events/count?variable=category'));
      const chips = { ...this.state.chips };
      if (!chips.category && categories.length) chips.category = categories[0].value;
      let apps = [];
      if (chips.category) {
        apps = parseCounts(await getText(`/api/events/count?${new URLSearchParams({
          variable: 'app', filter: `category = ${literal(chips.category)}` })}`));
        if (!apps.some((a) => a.value === chips.app) && apps.length) chips.app = apps[0].value;
      }
      this.choices = { category: categories, app: apps };
      this.state = { ...this.state, chips };
    } catch (e) {
      this.error = `The categories could not be read: ${e.message}`;
    }
  }

  async changed({ patch, run }) {
    const before = this.state;
    this.state = { ...before, ...patch };
    if (patch.chips && patch.chips.category !== before.chips.category) {
      this.state = { ...this.state, chips: { ...this.state.chips, app: undefined } };
      await this.loadChoices();
    }
    const rerun = run || RUNS.some((key) => key in patch);
    history[rerun ? 'pushState' : 'replaceState'](null, '', toHash(this.state));
    if (rerun) await this.run();
  }

  async run() {
    const s = this.state;
    this.range = resolveRange(s);
    history.replaceState(null, '', toHash(s));
    this.error = null;
    if (s.view !== 'events' || !this.open) this.open = null;
    await this.updateComplete;
    if (s.view === 'events') await this.loadEvents();
    else if (s.view === 'metrics') await this.querySelector('metric-view')?.load();
    else if (s.view === 'tokens') await this.querySelector('token-view')?.load();
    else if (s.view === 'users') await this.querySelector('user-view')?.load();
  }

  async loadEvents() {
    const s = this.state;
    const range = this.range;
    if (!s.chips.category || !s.chips.app) return;
    const seq = ++this.seq;
    Object.assign(this, { loading: true, syntax: null, total: null, since: null, pending: [], paused: false,
      acceptedFilter: null });
    try {
      const response = await request(`/audit/log?${logParams(s, range, { size: PAGE })}`);
      const rows = await response.json();
      if (seq !== this.seq) return;
      Object.assign(this, { rows, next: nextLink(response), loading: false });
      await this.updateComplete;
      if (!performance.getEntriesByName('console-ready').length) performance.mark('console-ready');
    } catch (e) {
      if (seq !== this.seq) return;
      Object.assign(this, { rows: [], next: null, loading: false, acceptedFilter: null });
      if (e.position) {
        this.syntax = e.position;
        this.announce(`Syntax error at line ${e.position.line}, column ${e.position.column}: ${e.position.text}`);
        await this.updateComplete;
        this.querySelector('query-bar')?.showError();
      } else {
        this.error = e.message;
      }
      return;
    }
    await this.updateComplete;
    // The query parsed on its own (/audit/log took it), so inside parentheses it cannot reach the chips or the range.
    const filter = commandFilter(s, range);
    this.acceptedFilter = filter;
    this.querySelector('count-chart')?.load();
    this.querySelector('facet-panel')?.load(filter);
    try {
      const total = Number(await getText(`/api/events/count?${new URLSearchParams({ filter })}`));
      if (seq !== this.seq) return;
      this.total = total;
      this.announce(`${total.toLocaleString()} events match; ${this.rows.length} shown.`);
    } catch {
      this.announce(`${this.rows.length} events shown.`);
    }
  }

  async loadOlder() {
    if (!this.next) return;
    this.loading = true;
    try {
      const response = await request(this.next);
      const older = await response.json();
      const seen = new Set(this.rows.map((e) => e.id));
      this.rows = [...this.rows, ...older.filter((e) => !seen.has(e.id))];
      this.next = nextLink(response);
      this.announce(`${older.length} older events loaded; ${this.rows.length} shown.`);
    } catch (e) {
      this.error = e.message;
    } finally {
      this.loading = false;
    }
  }

  announce(text) { this.announcement = text; }

  openEvent(event) {
    if (!this.open) this.returnTo = document.activeElement?.closest?.('tr')?.dataset.id ?? null;
    this.open = event;
    this.state = { ...this.state, ev: event.id };
    history.replaceState(null, '', toHash(this.state));
  }

  async openPermalink(id) {
    try {
      this.openEvent(await getJson(`/api/events/get?${new URLSearchParams({ id })}`));
    } catch (e) {
      this.error = e.status === 404 ? 'The linked event is not in your view or no longer exists.' : e.message;
    }
  }

  async closeEvent() {
    this.open = null;
    this.state = { ...this.state, ev: null };
    history.replaceState(null, '', toHash(this.state));
    await this.updateComplete;
    const table = this.querySelector('event-table');
    if (!(this.returnTo && table?.focusRow(this.returnTo))) this.querySelector('#query')?.focus();
  }

  keys(event) {
    const typing = event.target.closest?.('input, textarea, select');
    if (event.key === '/' && !typing && this.user) {
      event.preventDefault();
      this.querySelector('query-bar')?.focusQuery();
    } else if (event.key === 'Escape' && this.open) {
      this.closeEvent();
    }
  }

  toggleLive() {
    if (this.live) {
      this.stopLive();
      return;
    }
    this.live = true;
    this.paused = false;
    this.since = this.rows[0] ? new Date(this.rows[0].timestamp) : null;
    this.timer = setInterval(() => this.poll(), 2000);
    this.announce('Live tail on: new events appear at the top.');
  }

  stopLive() {
    clearInterval(this.timer);
    Object.assign(this, { live: false, paused: false });
    if (this.pending.length) this.resume();
  }

  async poll() {
    if (this.polling) return;
    this.polling = true;
    try {
      const s = this.state;
      const newest = [this.pending[0], this.rows[0]].filter(Boolean).map((e) => Date.parse(e.timestamp));
      const from = Math.max(this.since?.getTime() ?? resolveRange(s).from, ...newest) - 1;
      const seq = this.seq;
      const fresh = await getJson(`/audit/log?${logParams(s, { from, to: Date.now() + 5000 }, { size: 500 })}`);
      if (seq !== this.seq) return;
      const seen = new Set([...this.rows, ...this.pending].map((e) => e.id));
      const added = fresh.filter((e) => !seen.has(e.id));
      if (!added.length) return;
      if (this.paused) this.pending = [...added, ...this.pending];
      else this.rows = [...added, ...this.rows];
      if (this.total != null) this.total += added.length;
      this.announce(`${added.length} new ${added.length === 1 ? 'event' : 'events'}${this.paused ? ' (paused)' : ''}.`);
    } catch { /* the next poll tries again */ } finally {
      this.polling = false;
    }
  }

  scrolled(top) {
    if (this.live) this.paused = top > 4;
  }

  /** Empties the table; a poll or a load sent before brings nothing back (each checks the sequence it was sent in). */
  clear() {
    this.seq++;
    Object.assign(this, { rows: [], pending: [], since: new Date(), loading: false });
  }

  resume() {
    this.rows = [...this.pending, ...this.rows];
    this.pending = [];
    this.paused = false;
    const scroller = this.querySelector('.table-scroll');
    if (scroller) scroller.scrollTop = 0;
  }

  async export(format) {
    if (!this.acceptedFilter) {
      this.error = 'Run a query that the service accepts before exporting.';
      return;
    }
    this.announce(`Exporting ${format.toUpperCase()}…`);
    try {
      const lines = await exportEvents(format, this.acceptedFilter);
      this.announce(`Exported ${lines} events as ${format.toUpperCase()}.`);
    } catch (e) {
      this.error = `The export failed: ${e.message}`;
    }
  }

  cycleTheme() {
    this.theme = THEMES[(THEMES.indexOf(this.theme) + 1) % THEMES.length];
    localStorage.setItem('auditlog.theme', this.theme);
    this.applyTheme();
    // Canvas charts take their colours when drawn: draw them again in the new theme.
    this.querySelector('count-chart')?.redraw();
    this.querySelector('metric-view')?.redraw();
  }

  applyTheme() {
    if (this.theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.theme;
  }
}
customElements.define('audit-console', AuditConsole);
