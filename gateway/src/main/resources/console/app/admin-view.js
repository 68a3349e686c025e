import { html } from 'lit';
import { Element, copyText } from './base.js';
import { getJson, request } from './api.js';
import { formatTime } from './state.js';

/** API tokens: create one with a view and permissions (its secret shown once), list them, revoke one. */
class TokenView extends Element {
  static properties = {
    state: { attribute: false }, tokens: { state: true }, created: { state: true }, error: { state: true },
  };

  render() {
    return html`<section class="admin" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p class="muted">A token reads the AuditConsole commands (<code>X-Auth-Token</code>) within your view and its
        own; with <em>delete</em> it may also delete.</p>
      <form id="token-form" class="row-form" @submit=${this.create}>
        <label>Name <input name="name" id="token-name" required maxlength="100"></label>
        <label>View <input name="view" id="token-view" size="40" placeholder="e.g. app = 'shop'"
          spellcheck="false"></label>
        <label><input type="checkbox" name="delete" id="token-delete"> delete</label>
        <button type="submit" class="primary">Create token</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.created ? html`<div class="secret" role="status"><p>Copy the token now: it is shown only once.</p>
        <code id="token-secret">${this.created.token}</code>
        <button type="button" @click=${() => copyText(this.created.token)}>Copy</button></div>` : ''}
      <table class="list"><thead><tr><th scope="col">Name</th><th scope="col">View</th>
        <th scope="col">Permissions</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">
        Actions</span></th></tr></thead>
        <tbody>${(this.tokens || []).map((t) => html`<tr data-token=${t.id}><td>${t.name}</td>
          <td><code>${t.view ?? ''}</code></td><td>${(t.permissions || []).join(', ')}</td>
          <td>${formatTime(t.created_at, this.state.tz, false)}</td>
          <td><button type="button" class="danger" aria-label="Revoke ${t.name}" @click=${() => this.revoke(t)}>
            Revoke</button></td></tr>`)}</tbody></table>
    </section>`;
  }

  async load() {
    try {
      this.tokens = await getJson('/users/tokens');
    } catch (e) {
      this.error = e.message;
    }
  }

  async create(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { name: form.get('name'), permissions: form.get('delete') ? ['read', 'delete'] : ['read'] };
    if (form.get('view')) body.view = form.get('view');
    this.error = null;
    try {
      this.created = await (await request('/users/tokens', { method: 'POST', json: body })).json();
      event.target.reset();
      await this.load();
    } catch (e) {
      this.error = e.message;
    }
  }

  async revoke(token) {
    try {
      await request(`/users/tokens/${token.id}`, { method: 'DELETE' });
      this.created = null;
      await this.load();
    } catch (e) {
      this.error = e.message;
    }
  }
}
customElements.define('token-view', TokenView);

/** For admins: every user and the view that limits what they read, set in place. */
class UserView extends Element {
  static properties = { users: { state: true }, error: { state: true }, saved: { state: true } };

  render() {
    return html`<section class="admin" aria-labelledby="users-title">
      <h2 id="users-title">Users and views</h2>
      <p class="muted">A view is a filter ANDed into everything the user reads. Leave it empty for none.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <p role="status" class="muted">${this.saved ?? ''}</p>
      <table class="list"><thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">Role</th>
        <th scope="col">View</th></tr></thead>
        <tbody>${(this.users || []).map((u) => html`<tr data-user=${u.username}><td>${u.username}</td>
          <td>${u.email}</td><td>${u.is_admin ? 'admin' : 'user'}${u.is_active ? '' : ' (inactive)'}</td>
          <td><form class="inline" @submit=${(e) => this.save(e, u)}>
            <input name="view" .value=${u.view ?? ''} size="40" spellcheck="false"
              aria-label="View of ${u.username}">
            <button type="submit">Save</button></form></td></tr>`)}</tbody></table>
    </section>`;
  }

  async load() {
    try {
      this.users = await getJson('/users');
    } catch (e) {
      this.error = e.message;
    }
  }

  async save(event, user) {
    event.preventDefault();
    const view = new FormData(event.target).get('view');
    this.error = null;
    try {
      await request(`/users/${user.id}/view`, { method: 'PUT', json: { view } });
      this.saved = `The view of ${user.username} is saved.`;
      await this.load();
    } catch (e) {
      this.error = e.message;
    }
  }
}
customElements.define('user-view', UserView);
