// A campaign's manual overrides: pause/resume, dry run on/off, set a pacing value with a hold,
// release the override, apply the recommendation now. Each asks for confirmation, then shows the
// outcome the loop reports (applied, conflict, rate-limited…), not an optimistic guess.
import { CampaignCommandSchema, type CampaignCommand, type CampaignView, type CommandOutcome, type Result } from '../../preload/contract.ts';
import { fmtChange, fmtNumber, GLYPH, OUTCOME_LABELS, outcomeSeverity } from '../dom/format.ts';
import { h, setText, uid } from '../dom/h.ts';
import type { ViewContext } from './view.ts';

export class OverrideControls {
  readonly element: HTMLElement;
  #c: CampaignView;
  readonly #ctx: ViewContext;
  readonly #pause: HTMLButtonElement;
  readonly #dryRun: HTMLButtonElement;
  readonly #applyNow: HTMLButtonElement;
  readonly #release: HTMLButtonElement;
  readonly #value: HTMLInputElement;
  readonly #hold: HTMLInputElement;
  readonly #submit: HTMLButtonElement;
  readonly #formError: HTMLElement;
  readonly #outcome: HTMLElement;
  #busy = false;

  constructor(campaign: CampaignView, ctx: ViewContext) {
    this.#c = campaign;
    this.#ctx = ctx;
    const btn = (action: string) => h('button', { class: 'button', attrs: { type: 'button' }, data: { action } });
    this.#pause = btn('pause');
    this.#dryRun = btn('dry-run');
    this.#applyNow = btn('apply-now');
    this.#release = btn('release');
    this.#release.textContent = 'Release override';
    const valueId = uid('override-value');
    const holdId = uid('override-hold');
    const errorId = uid('override-error');
    this.#value = h('input', { id: valueId, attrs: { type: 'number', min: 0.01, max: 50, step: 0.01, inputmode: 'decimal', 'aria-describedby': errorId }, data: { field: 'override-value' } });
    this.#hold = h('input', { id: holdId, attrs: { type: 'number', min: 1, max: 1440, step: 1, value: 30, 'aria-describedby': errorId }, data: { field: 'override-hold' } });
    this.#submit = h('button', { class: 'button', text: 'Set value and hold…', attrs: { type: 'submit' }, data: { action: 'override' } });
    this.#formError = h('p', { id: errorId, class: 'field-error', attrs: { hidden: true } });
    this.#outcome = h('p', { class: 'outcome', attrs: { role: 'status', 'aria-live': 'polite' }, data: { field: 'command-outcome' } });
    const form = h(
      'form',
      { class: 'override-form', attrs: { novalidate: true, 'aria-label': `Set a pacing value for ${campaign.name}` } },
      h('label', { text: 'Pacing value', attrs: { for: valueId } }),
      this.#value,
      h('label', { text: 'Hold (minutes)', attrs: { for: holdId } }),
      this.#hold,
      this.#submit,
      this.#formError,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#onOverride();
    });
    this.#pause.addEventListener('click', () => void this.#onPause());
    this.#dryRun.addEventListener('click', () => void this.#onDryRun());
    this.#applyNow.addEventListener('click', () => void this.#onApplyNow());
    this.#release.addEventListener('click', () => void this.#onRelease());
    this.element = h(
      'section',
      { class: 'overrides', attrs: { 'aria-label': `Overrides for ${campaign.name}` } },
      h('h4', { text: 'Overrides' }),
      h('div', { class: 'button-row' }, this.#pause, this.#dryRun, this.#applyNow, this.#release),
      form,
      this.#outcome,
    );
    this.update(campaign);
  }

  update(c: CampaignView): void {
    this.#c = c;
    setText(this.#pause, c.mode === 'paused' ? 'Resume tuning…' : 'Pause tuning…');
    this.#pause.dataset.action = c.mode === 'paused' ? 'resume' : 'pause';
    const dry = c.mode === 'dry-run';
    setText(this.#dryRun, dry ? 'Dry run: on (turn off…)' : 'Dry run: off (turn on…)');
    this.#dryRun.setAttribute('aria-pressed', String(dry));
    setText(this.#applyNow, c.recommended === null ? 'Apply recommendation now' : `Apply recommendation now (${fmtNumber(c.recommended)})…`);
    this.#value.placeholder = fmtNumber(c.current);
    this.#setDisabled();
  }

  #setDisabled(): void {
    const c = this.#c;
    this.#pause.disabled = this.#busy;
    this.#dryRun.disabled = this.#busy;
    this.#applyNow.disabled = this.#busy || c.recommended === null;
    this.#release.disabled = this.#busy || c.mode !== 'override';
    this.#submit.disabled = this.#busy;
    this.element.setAttribute('aria-busy', String(this.#busy));
  }

  #onPause(): Promise<void> {
    const c = this.#c;
    if (c.mode === 'paused') {
      return this.#run({ action: 'resume', campaignId: c.id }, 'Resume tuning', `Resume tuning ${c.name}? The loop will write its pacing value (maxCallsPerAgentDecimal) again.`);
    }
    return this.#run({ action: 'pause', campaignId: c.id }, 'Pause tuning', `Pause tuning ${c.name}? The loop stops writing its pacing value (maxCallsPerAgentDecimal) until you resume it.`);
  }

  #onDryRun(): Promise<void> {
    const c = this.#c;
    const enable = c.mode !== 'dry-run';
    return this.#run(
      { action: 'dry-run', campaignId: c.id, enabled: enable },
      enable ? 'Turn dry run on' : 'Turn dry run off',
      enable
        ? `Turn dry run on for ${c.name}? Recommendations are computed and recorded but not written to the platform.`
        : `Turn dry run off for ${c.name}? The loop will write its recommendations to the platform again.`,
    );
  }

  #onApplyNow(): Promise<void> {
    const c = this.#c;
    return this.#run({ action: 'apply-now', campaignId: c.id }, 'Apply now', `Write the recommended pacing value ${fmtNumber(c.recommended)} (maxCallsPerAgentDecimal) to ${c.name} now?`);
  }

  #onRelease(): Promise<void> {
    const c = this.#c;
    return this.#run({ action: 'release', campaignId: c.id }, 'Release override', `Release the held pacing value on ${c.name}? The loop resumes tuning it.`);
  }

  #onOverride(): Promise<void> {
    const c = this.#c;
    const value = this.#value.value.trim() === '' ? Number.NaN : Number(this.#value.value);
    const holdMinutes = this.#hold.value.trim() === '' ? Number.NaN : Number(this.#hold.value);
    const parsed = CampaignCommandSchema.safeParse({ action: 'override', campaignId: c.id, value, holdMinutes });
    if (!parsed.success) {
      const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
      this.#showFormError(bad.has('value') ? 'Enter a pacing value above 0 and at most 50.' : 'Enter a hold of 1 to 1,440 whole minutes.', bad.has('value') ? this.#value : this.#hold);
      return Promise.resolve();
    }
    this.#showFormError(null);
    return this.#run(parsed.data, 'Set and hold', `Set ${c.name}'s pacing value (maxCallsPerAgentDecimal) to ${fmtNumber(value)} and hold it for ${holdMinutes} minutes? The loop will not change it until the hold ends or you release it.`);
  }

  #showFormError(message: string | null, field?: HTMLInputElement): void {
    this.#formError.hidden = message === null;
    setText(this.#formError, message ?? '');
    for (const input of [this.#value, this.#hold]) input.removeAttribute('aria-invalid');
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }

  async #run(command: CampaignCommand, confirmLabel: string, message: string): Promise<void> {
    if (this.#busy) return;
    const ok = await this.#ctx.confirm({ title: `${confirmLabel}?`, message, confirmLabel });
    if (!ok) return;
    // Disabling the controls while the command runs drops focus to <body>; give it back after.
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.#busy = true;
    this.#setDisabled();
    this.#show('pending', `Sending ${command.action}…`);
    let result: Result<CommandOutcome>;
    try {
      result = await this.#ctx.bridge.invoke('campaign:command', command);
    } finally {
      this.#busy = false;
      this.#setDisabled();
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (lost && focused?.isConnected && !(focused as HTMLButtonElement).disabled) focused.focus();
    }
    this.#ctx.refresh();
    if (!result.ok) {
      const e = result.error;
      const fields = e.fields?.length ? ` (${e.fields.map((f) => `${f.path}: ${f.message}`).join('; ')})` : '';
      this.#show('failed', `${GLYPH.error} Failed: ${e.message}${fields}${e.fix ? ` ${e.fix}` : ''}`);
      return;
    }
    const out = result.value;
    const d = out.decision;
    if (d) {
      this.#show(d.outcome, `${GLYPH[outcomeSeverity(d.outcome)]} ${OUTCOME_LABELS[d.outcome]}${fmtChange(d.oldValue, d.newValue)}. ${out.message}`);
    } else {
      this.#show('done', `${GLYPH.ok} ${out.message}`);
    }
    if (command.action === 'override' && d?.outcome === 'applied') this.#value.value = '';
  }

  #show(outcome: string, text: string): void {
    this.#outcome.dataset.outcome = outcome;
    setText(this.#outcome, text);
  }
}
