import { html } from 'lit';
import { Element } from './base.js';
import { signIn } from './api.js';

/** The sign-in form: the existing login (username and password) for a bearer token kept in session storage. */
class SignIn extends Element {
  static properties = { error: { state: true }, busy: { state: true } };

  render() {
    return html`<main class="sign-in" id="main">
      <form @submit=${this.submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">auditlog</h1>
        <p class="muted">Sign in to read your audit events.</p>
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required autofocus>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        ${this.error ? html`<p class="error" role="alert" id="sign-in-error">${this.error}</p>` : ''}
        <button type="submit" class="primary" ?disabled=${this.busy}>Sign in</button>
      </form>
    </main>`;
  }

  async submit(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    this.busy = true;
    try {
      await signIn(form.get('username'), form.get('password'));
      this.emit('signed-in');
    } catch (e) {
      this.error = e.status === 401 ? 'Incorrect username or password.' : e.message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('sign-in', SignIn);
