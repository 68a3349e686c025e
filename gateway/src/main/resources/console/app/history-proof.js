import { html } from 'lit';
import { Element } from './base.js';
import { request } from './api.js';
import { checkErasure, checkInclusion } from './inclusion.js';

const UNSIGNED = html`The checkpoint's signature is not checked here: that is what <code>bin/verify</code> does
  with the signing key pinned (<code>docs/verifiable-history.md</code>).`;

/**
 * What the answer of /audit/{tenant}/proof/inclusion says about the event shown, its proof checked here against the
 * event itself: the object the read API returned, which the drawer shows untouched.
 */
async function verdict(response, event) {
  const answer = await response.json();
  if (response.status === 202) return { status: 'pending', retry: Math.max(1, Number(answer.retry_after) || 1) };
  const erased = answer.status === 'redacted';
  const facts = { seq: answer.seq, erasure: erased ? answer.erasure?.seq : undefined };
  if (!globalThis.crypto?.subtle) return { status: 'unchecked', size: answer.tree_size, ...facts };
  try {
    const checkpoint = await (erased ? checkErasure : checkInclusion)(answer, event);
    return { status: erased ? 'redacted' : 'checked', size: checkpoint.size, origin: checkpoint.origin, ...facts };
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
 * proof checked in this browser against the event shown (inclusion.js). While pending it asks again after the
 * answer's retry_after, until it leaves the page or shows another event. The status line is a live region, so the
 * change is announced.
 */
class HistoryProof extends Element {
  static properties = { tenant: { attribute: false }, event: { attribute: false }, result: { state: true } };

  willUpdate(changed) {
    if (changed.has('tenant') || changed.has('event')) this.start();
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
    const event = this.event;
    let result;
    try {
      const query = new URLSearchParams({ id: event.id });
      result = await verdict(await request(`/audit/${this.tenant}/proof/inclusion?${query}`), event);
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
      ${['checked', 'redacted', 'unchecked'].includes(r.status) ? html`<dl>
        <dt>Position (seq)</dt><dd>${r.seq}</dd><dt>Checkpoint tree size</dt><dd>${r.size}</dd>
        ${r.origin ? html`<dt>Origin</dt><dd>${r.origin}</dd>` : ''}</dl>` : ''}
      ${['checked', 'redacted', 'failed', 'unchecked'].includes(r.status) ? html`<p class="muted">${UNSIGNED}</p>`
        : ''}
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
      case 'unchecked': return html`<span class="badge">Not checked</span> — ${r.erasure == null ? ''
        : `the history says an erasure record at seq ${r.erasure} erased it, but `}browsers hash only on HTTPS (or
        localhost) pages, so the proof for checkpoint size ${r.size} was not checked here.`;
      case 'redacted': return html`<span class="badge">Erased</span> — recorded by an erasure record at seq
        ${r.erasure} (checked in this browser)`;
      case 'unavailable': return html`<span class="muted">${r.text}</span>`;
      default: return html`<span class="muted">Checking…</span>`;
    }
  }
}
customElements.define('history-proof', HistoryProof);
