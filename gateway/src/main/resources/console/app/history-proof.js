import { html } from 'lit';
import { Element } from './base.js';
import { request } from './api.js';
import { checkInclusion } from './inclusion.js';

const UNSIGNED = html`The checkpoint's signature is not checked here: that is what <code>bin/verify</code> does
  with the signing key pinned (<code>docs/verifiable-history.md</code>).`;

/** What the answer of /audit/{tenant}/proof/inclusion says about the event `id`, its proof checked here. */
async function verdict(response, id) {
  const answer = await response.json();
  if (response.status === 202) return { status: 'pending', retry: Math.max(1, Number(answer.retry_after) || 1) };
  if (answer.status === 'redacted') return { status: 'redacted', erasure: answer.erasure?.seq };
  if (!globalThis.crypto?.subtle) return { status: 'unchecked', seq: answer.seq, size: answer.tree_size };
  try {
    const checkpoint = await checkInclusion(answer, id);
    return { status: 'checked', seq: answer.seq, size: checkpoint.size, origin: checkpoint.origin };
  } catch (err) {
    return { status: 'failed', reason: err.message };
  }
}

/** A short neutral line for an event the history cannot prove to this caller. */
function unavailable(err) {
  if (err.type === 'tlog_disabled') return 'The verifiable history is off on this service.';
  if (err.status === 404) return 'Not in the verifiable history: stored while it was off, or no longer stored.';
  if (err.status === 403) return 'Your view does not include the verifiable history.';
  return `The verifiable history could not be read: ${err.message}`;
}

/**
 * The drawer's "Verifiable history" section for one event: whether a signed checkpoint covers it, with the inclusion
 * proof checked in this browser (inclusion.js). While pending it asks again after the answer's retry_after, until it
 * leaves the page or shows another event. The status line is a live region, so the change is announced.
 */
class HistoryProof extends Element {
  static properties = { tenant: { attribute: false }, eventId: { attribute: false }, result: { state: true } };

  willUpdate(changed) {
    if (changed.has('tenant') || changed.has('eventId')) this.start();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.stop();
  }

  start() {
    this.stop();
    this.result = { status: 'loading' };
    this.load(this.run);
  }

  stop() {
    clearTimeout(this.timer);
    this.run = {};
  }

  async load(run) {
    let result;
    try {
      const query = new URLSearchParams({ id: this.eventId });
      result = await verdict(await request(`/audit/${this.tenant}/proof/inclusion?${query}`), this.eventId);
    } catch (err) {
      result = { status: 'unavailable', text: unavailable(err) };
    }
    if (run !== this.run) return;
    this.result = result;
    if (result.status === 'pending') this.timer = setTimeout(() => this.load(run), result.retry * 1000);
  }

  render() {
    const r = this.result;
    return html`<section class="history" aria-labelledby="history-title">
      <h3 id="history-title">Verifiable history</h3>
      <p role="status" id="history-status" data-status=${r.status}>${this.statusLine(r)}</p>
      ${r.status === 'checked' || r.status === 'unchecked' ? html`<dl>
        <dt>Position (seq)</dt><dd>${r.seq}</dd><dt>Checkpoint tree size</dt><dd>${r.size}</dd>
        ${r.origin ? html`<dt>Origin</dt><dd>${r.origin}</dd>` : ''}</dl>` : ''}
      ${['checked', 'failed', 'unchecked'].includes(r.status) ? html`<p class="muted">${UNSIGNED}</p>` : ''}
    </section>`;
  }

  /** The status as one sentence that begins with its badge, so that it reads the same without colour. */
  statusLine(r) {
    switch (r.status) {
      case 'pending': return html`<span class="badge tone-info">Pending</span> — not yet covered by a signed
        checkpoint`;
      case 'checked': return html`<span class="badge tone-ok">Included</span> in checkpoint of size ${r.size} —
        proof checked in this browser`;
      case 'failed': return html`<span class="badge tone-bad">Proof failed</span> — ${r.reason}. Do not rely on
        this answer.`;
      case 'unchecked': return html`<span class="badge">Not checked</span> — browsers hash only on HTTPS (or
        localhost) pages, so the proof for checkpoint size ${r.size} was not checked here.`;
      case 'redacted': return html`<span class="badge">Erased</span> — recorded by an erasure record at seq
        ${r.erasure}`;
      case 'unavailable': return html`<span class="muted">${r.text}</span>`;
      default: return html`<span class="muted">Checking…</span>`;
    }
  }
}
customElements.define('history-proof', HistoryProof);
