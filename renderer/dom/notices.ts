// Non-blocking problems (malformed bridge data, failed background requests): a short list the page
// keeps working around. Repeats are counted rather than stacked, and only the latest few are kept.
import { h, setText } from './h.ts';

const MAX_NOTICES = 5;

export interface Notices {
  readonly element: HTMLElement;
  add(title: string, detail: string): void;
}

export function createNotices(): Notices {
  const list = h('ul', { class: 'notice-list' });
  const element = h(
    'section',
    { class: 'notices', attrs: { 'aria-label': 'Problems', 'aria-live': 'polite', hidden: true } },
    list,
  );
  const byKey = new Map<string, { li: HTMLLIElement; text: HTMLElement; n: number }>();

  const refresh = () => {
    element.hidden = byKey.size === 0;
  };

  return {
    element,
    add(title, detail) {
      const key = `${title}\n${detail}`;
      const existing = byKey.get(key);
      if (existing) {
        existing.n += 1;
        setText(existing.text, `${title} (×${existing.n})`);
        return;
      }
      const text = h('strong', { text: title });
      const dismiss = h('button', { class: 'button small', text: 'Dismiss', attrs: { type: 'button', 'aria-label': `Dismiss: ${title}` } });
      const li = h('li', { class: 'notice' }, h('span', { class: 'glyph', text: '!', attrs: { 'aria-hidden': 'true' } }), text, ' ', h('span', { class: 'detail', text: detail }), dismiss);
      const entry = { li, text, n: 1 };
      dismiss.addEventListener('click', () => {
        byKey.delete(key);
        li.remove();
        refresh();
      });
      byKey.set(key, entry);
      list.prepend(li);
      while (byKey.size > MAX_NOTICES) {
        const oldest = byKey.keys().next().value as string;
        byKey.get(oldest)?.li.remove();
        byKey.delete(oldest);
      }
      refresh();
    },
  };
}
