import { LitElement } from 'lit';

/**
 * Every console element renders into the light DOM, so one style sheet (console.css, custom properties for both
 * themes) styles them all and no style is ever inline. Values reach the page only through Lit's text and attribute
 * bindings, which never parse them as HTML.
 */
export class Element extends LitElement {
  createRenderRoot() { return this; }

  /** Sends a state change up to the console, which keeps the state and the URL. */
  change(patch, options = {}) {
    this.dispatchEvent(new CustomEvent('state-change', { detail: { patch, ...options }, bubbles: true }));
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
  }
}

/** Copies text to the clipboard; answers whether it worked. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
