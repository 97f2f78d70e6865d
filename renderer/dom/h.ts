// A tiny element builder. Text always goes in through textContent, never innerHTML, so nothing
// from the bridge can become markup; and there are no inline styles or handlers, which the CSP forbids.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  text?: string;
  /** Attributes set with setAttribute (aria-*, role, type, for…). `false`/undefined leaves them out. */
  attrs?: Record<string, string | number | boolean | undefined>;
  data?: Record<string, string>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, value] of Object.entries(props.data ?? {})) el.dataset[name] = value;
  for (const [type, listener] of Object.entries(props.on ?? {})) el.addEventListener(type, listener as EventListener);
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Puts `el` right after `previous` (first in `parent` when null), moving it only when it is not
 * already there: re-inserting a node drops focus, and chart.js watches its canvas being detached.
 */
export function placeAfter(parent: Element, previous: Element | null, el: Element): void {
  const expected = previous ? previous.nextElementSibling : parent.firstElementChild;
  if (expected === el) return;
  if (previous) previous.after(el);
  else parent.prepend(el);
}

/** Sets text only when it changed, so screen readers are not told about unchanged live regions. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** A per-document unique id prefix for label/aria wiring. */
let seq = 0;
export function uid(prefix: string): string {
  seq += 1;
  return `${prefix}-${seq}`;
}
