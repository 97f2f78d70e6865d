// Settings: region, OAuth client, proxy (mode, URL, NO_PROXY, credentials), CA bundles, InfluxDB
// and the relay port. Secrets are write-only: the form shows "set" or "not set", never a value,
// and clears what was typed once it is saved. Main validates; its per-field messages are shown
// inline next to the field (aria-invalid + aria-describedby) and listed in a summary.
import type { SecretName, SettingsView as SettingsPayload } from '../../preload/contract.ts';
import { GLYPH } from '../dom/format.ts';
import { h, replaceChildren, setText, uid } from '../dom/h.ts';
import { buildSettingsUpdate, fieldForPath, formValuesFrom, SETTINGS_FIELDS, type FieldSpec, type FormValues, type SecretInput } from './settings-model.ts';
import { viewSection, type View, type ViewContext } from './view.ts';

interface FieldUi {
  spec: FieldSpec;
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  error: HTMLElement;
  /** Secrets: the "set / not set" status and the "remove" checkbox. */
  status?: HTMLElement;
  clear?: HTMLInputElement;
}

export class SettingsView implements View {
  readonly id = 'settings' as const;
  readonly element: HTMLElement;
  readonly #ctx: ViewContext;
  readonly #form: HTMLFormElement;
  readonly #fields = new Map<string, FieldUi>();
  readonly #summary: HTMLElement;
  readonly #status: HTMLElement;
  readonly #backend: HTMLElement;
  readonly #save: HTMLButtonElement;
  #original: FormValues = {};
  #loaded = false;

  constructor(ctx: ViewContext) {
    this.#ctx = ctx;
    const section = viewSection('settings', 'Saving validates the settings and rebuilds the services they affect; no restart is needed.');
    this.#summary = h('div', { class: 'error-summary', attrs: { role: 'alert', hidden: true }, data: { field: 'settings-errors' } });
    this.#status = h('p', { class: 'outcome', attrs: { role: 'status', 'aria-live': 'polite' }, data: { field: 'settings-status' } });
    this.#backend = h('p', { class: 'view-intro', data: { field: 'secret-backend' } });
    this.#save = h('button', { class: 'button primary', text: 'Save settings', attrs: { type: 'submit' } });
    this.#form = h('form', { class: 'settings-form', attrs: { novalidate: true, 'aria-label': 'Settings' } }, this.#summary);
    const sections = new Map<string, HTMLFieldSetElement>();
    for (const spec of SETTINGS_FIELDS) {
      let fs = sections.get(spec.section);
      if (!fs) {
        fs = h('fieldset', { class: 'card' }, h('legend', { text: spec.section }));
        sections.set(spec.section, fs);
        this.#form.append(fs);
      }
      fs.append(this.#field(spec));
    }
    this.#form.append(h('div', { class: 'form-actions' }, this.#save, this.#status));
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#onSave();
    });
    section.append(this.#backend, this.#form);
    this.element = section;
  }

  onShow(): void {
    if (!this.#loaded) void this.load();
  }

  async load(): Promise<void> {
    const r = await this.#ctx.bridge.invoke('settings:get', undefined);
    if (!r.ok) {
      this.#setStatus('failed', `${GLYPH.error} Could not load the settings: ${r.error.message}`);
      return;
    }
    this.#loaded = true;
    this.#apply(r.value);
  }

  #field(spec: FieldSpec): HTMLElement {
    const id = uid(`setting-${spec.key.replace(/\./g, '-')}`);
    const errorId = `${id}-error`;
    const helpId = spec.help ? `${id}-help` : undefined;
    const describedBy = [helpId, errorId].filter(Boolean).join(' ');
    const error = h('p', { id: errorId, class: 'field-error', attrs: { hidden: true }, data: { errorFor: spec.key } });
    const common = { id, attrs: { name: spec.key, 'aria-describedby': describedBy }, data: { setting: spec.key } };
    let input: FieldUi['input'];
    let extra: HTMLElement | null = null;
    const ui: Partial<FieldUi> = { spec, error };
    switch (spec.kind) {
      case 'select':
        input = h('select', common, ...Object.entries(spec.options ?? {}).map(([v, label]) => h('option', { text: label, attrs: { value: v } })));
        break;
      case 'list':
        input = h('textarea', { ...common, attrs: { ...common.attrs, rows: 3, spellcheck: 'false' } });
        break;
      case 'checkbox':
        input = h('input', { ...common, attrs: { ...common.attrs, type: 'checkbox' } });
        break;
      case 'port':
        input = h('input', { ...common, attrs: { ...common.attrs, type: 'text', inputmode: 'numeric', autocomplete: 'off' } });
        break;
      case 'number':
        input = h('input', { ...common, attrs: { ...common.attrs, type: 'text', inputmode: 'decimal', autocomplete: 'off' } });
        break;
      case 'secret': {
        input = h('input', { ...common, attrs: { ...common.attrs, type: 'password', autocomplete: 'new-password', placeholder: 'Type to replace' } });
        ui.status = h('span', { class: 'secret-status', data: { secretStatus: spec.key } });
        const clearId = `${id}-clear`;
        ui.clear = h('input', { id: clearId, attrs: { type: 'checkbox' }, data: { secretClear: spec.key } });
        extra = h('span', { class: 'secret-extra' }, ui.status, ' ', h('span', { class: 'clear-secret' }, ui.clear, h('label', { text: ' Remove the saved secret', attrs: { for: clearId } })));
        break;
      }
      default:
        input = h('input', { ...common, attrs: { ...common.attrs, type: spec.kind === 'url' ? 'url' : 'text', autocomplete: 'off', spellcheck: 'false' } });
    }
    ui.input = input;
    this.#fields.set(spec.key, ui as FieldUi);
    const label = h('label', { text: spec.label, attrs: { for: id } });
    const help = spec.help ? h('p', { id: helpId, class: 'help', text: spec.help }) : null;
    return spec.kind === 'checkbox'
      ? h('div', { class: 'field checkbox' }, input, label, help, error)
      : h('div', { class: 'field' }, label, input, extra, help, error);
  }

  #apply(view: SettingsPayload): void {
    const region = this.#fields.get('genesys.region');
    if (region && view.regions?.length && region.input instanceof HTMLSelectElement && region.input.options.length === 0) {
      region.input.append(...view.regions.map((r) => h('option', { text: r, attrs: { value: r } })));
    }
    this.#original = formValuesFrom(view.settings);
    for (const [key, ui] of this.#fields) {
      if (ui.spec.kind === 'secret') {
        const set = view.secrets[key as SecretName] === 'set';
        setText(ui.status as HTMLElement, set ? `${GLYPH.ok} Saved (set)` : 'Not set');
        (ui.status as HTMLElement).dataset.state = set ? 'set' : 'not-set';
        (ui.input as HTMLInputElement).value = '';
        (ui.clear as HTMLInputElement).checked = false;
        (ui.clear as HTMLInputElement).disabled = !set;
        continue;
      }
      const v = this.#original[key];
      if (ui.input instanceof HTMLInputElement && ui.input.type === 'checkbox') ui.input.checked = v === true;
      else {
        if (ui.input instanceof HTMLSelectElement && typeof v === 'string' && v && ![...ui.input.options].some((o) => o.value === v)) {
          ui.input.append(h('option', { text: v, attrs: { value: v } }));
        }
        ui.input.value = typeof v === 'string' ? v : '';
      }
    }
    const warnings = view.warnings.map((w) => `${w.message}${w.fix ? ` ${w.fix}` : ''}`).join(' ');
    setText(this.#backend, `Secrets are kept in: ${view.secretBackend}.${warnings ? ` ${GLYPH.warning} ${warnings}` : ''}`);
  }

  #values(): { values: FormValues; secrets: Partial<Record<SecretName, SecretInput>> } {
    const values: FormValues = {};
    const secrets: Partial<Record<SecretName, SecretInput>> = {};
    for (const [key, ui] of this.#fields) {
      if (ui.spec.kind === 'secret') secrets[key as SecretName] = { value: (ui.input as HTMLInputElement).value, clear: ui.clear?.checked ?? false };
      else values[key] = ui.input instanceof HTMLInputElement && ui.input.type === 'checkbox' ? ui.input.checked : ui.input.value;
    }
    return { values, secrets };
  }

  async #onSave(): Promise<void> {
    this.#clearErrors();
    const { values, secrets } = this.#values();
    const { update, changed } = buildSettingsUpdate(values, this.#original, secrets);
    if (changed.length === 0) {
      this.#setStatus('unchanged', 'Nothing changed.');
      return;
    }
    this.#save.disabled = true;
    this.#setStatus('pending', 'Saving…');
    try {
      const r = await this.#ctx.bridge.invoke('settings:update', update);
      if (r.ok) {
        this.#apply(r.value);
        this.#setStatus('saved', `${GLYPH.ok} Saved ${changed.length} setting${changed.length === 1 ? '' : 's'}. The services that use them were rebuilt.`);
        return;
      }
      const fields = r.error.fields ?? [];
      this.#showErrors(fields, r.error.message);
      this.#setStatus('failed', `${GLYPH.error} Not saved: ${r.error.message}${r.error.fix ? ` ${r.error.fix}` : ''}`);
    } finally {
      this.#save.disabled = false;
    }
  }

  #showErrors(fields: readonly { path: string; message: string }[], message: string): void {
    const unplaced: string[] = [];
    let first: FieldUi | undefined;
    for (const f of fields) {
      const key = fieldForPath(f.path);
      const ui = key ? this.#fields.get(key) : undefined;
      if (!ui) {
        unplaced.push(`${f.path || 'settings'}: ${f.message}`);
        continue;
      }
      ui.error.hidden = false;
      ui.error.textContent = ui.error.textContent ? `${ui.error.textContent} ${f.message}` : f.message;
      ui.input.setAttribute('aria-invalid', 'true');
      first ??= ui;
    }
    const count = fields.length;
    this.#summary.hidden = false;
    replaceChildren(
      this.#summary,
      h('strong', { text: count ? `${count} setting${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} attention.` : message }),
      unplaced.length ? h('ul', {}, ...unplaced.map((t) => h('li', { text: t }))) : null,
    );
    first?.input.focus();
  }

  #clearErrors(): void {
    this.#summary.hidden = true;
    replaceChildren(this.#summary);
    for (const ui of this.#fields.values()) {
      ui.error.hidden = true;
      ui.error.textContent = '';
      ui.input.removeAttribute('aria-invalid');
    }
  }

  #setStatus(state: string, text: string): void {
    this.#status.dataset.outcome = state;
    setText(this.#status, text);
  }
}
