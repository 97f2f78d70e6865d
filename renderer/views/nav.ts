// The view switcher: a row of buttons (aria-current marks the open view). Plain buttons keep it
// keyboard-operable with Tab and Enter/Space and readable by screen readers without ARIA widgets.
import { h } from '../dom/h.ts';
import { VIEW_LABELS, VIEW_ORDER, type ViewId } from './view.ts';

export interface Nav {
  readonly element: HTMLElement;
  setCurrent(id: ViewId): void;
}

export function createNav(onSelect: (id: ViewId) => void): Nav {
  const buttons = new Map<ViewId, HTMLButtonElement>();
  const list = h('ul', { class: 'nav-list' });
  for (const id of VIEW_ORDER) {
    const b = h('button', { class: 'nav-button', text: VIEW_LABELS[id], attrs: { type: 'button', 'aria-controls': `view-${id}` }, data: { view: id } });
    b.addEventListener('click', () => onSelect(id));
    buttons.set(id, b);
    list.append(h('li', {}, b));
  }
  return {
    element: h('nav', { class: 'nav', attrs: { 'aria-label': 'Views' } }, list),
    setCurrent(id) {
      for (const [vid, b] of buttons) {
        if (vid === id) b.setAttribute('aria-current', 'page');
        else b.removeAttribute('aria-current');
      }
    },
  };
}
