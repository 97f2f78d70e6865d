// Pure validation for campaign writes: schema errors become the platform's 400 shapes, status
// changes follow the platform's transition rules (notes A.5, F), and the integer and decimal
// pacing fields are kept in step. No I/O; the store applies the result.
import type { z } from 'zod';
import type { Campaign, CampaignPatchRequest } from '../genesys/models.ts';
import { genesysError, type SimHttpError } from './errors.ts';

/** The simulator's accepted range for the pacing value (the platform does not document one). */
export const PACING_MIN = 1;
export const PACING_MAX = 15;

/** Turns a zod failure into the platform's 400: unknown fields are `bad.request`, bad values `invalid.value`. */
export function zodToHttpError(error: z.ZodError): SimHttpError {
  const issue = error.issues[0];
  const details = error.issues.slice(0, 20).map((i) => ({ fieldName: fieldPath(i.path), errorCode: i.code }));
  if (!issue) return genesysError('badRequest');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    const where = issue.path.length ? ` in [${fieldPath(issue.path)}]` : '';
    return genesysError('badRequest', {
      message: `Unrecognized field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k.slice(0, 80)}"`).join(', ')}${where}; not marked as ignorable.`,
      details,
    });
  }
  const field = fieldPath(issue.path) || 'body';
  return genesysError('invalidValue', { message: `Value for field [${field}] is not valid: ${issue.message}`, details });
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

function invalid(field: string, message: string): SimHttpError {
  return genesysError('invalidValue', { message, details: [{ fieldName: field, errorCode: 'invalid.value' }] });
}

/** Status changes a PUT may make. Anything else is a 400 "Invalid transition". */
export function checkTransition(from: Campaign['campaignStatus'], to: Campaign['campaignStatus']): void {
  if (from === to) return;
  const allowed: Record<string, string[]> = {
    on: ['off'],
    off: ['on'],
    stopping: ['on'],
    complete: ['on'],
    invalid: ['on', 'off'],
    forced_off: ['on', 'off'],
    forced_stopping: [],
  };
  if (!allowed[from ?? 'off']?.includes(to ?? '')) {
    throw genesysError('badRequest', {
      message: `An attempt was made to update a Campaign in an invalid way. Details: Invalid transition from <${String(from).toUpperCase()}> to <${String(to).toUpperCase()}>`,
      details: [{ fieldName: 'campaignStatus', errorCode: 'invalid.transition' }],
    });
  }
}

function checkPacing(field: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < PACING_MIN || value > PACING_MAX) {
    throw invalid(field, `${field} must be between ${PACING_MIN} and ${PACING_MAX}`);
  }
}

function checkCommon(c: { abandonRate?: number; outboundLineCount?: number }): void {
  if (c.abandonRate !== undefined && !(c.abandonRate > 0 && c.abandonRate <= 100)) {
    throw invalid('abandonRate', 'abandonRate must be greater than 0 and at most 100');
  }
  if (c.outboundLineCount !== undefined && !(c.outboundLineCount >= 1 && c.outboundLineCount <= 10_000)) {
    throw invalid('outboundLineCount', 'outboundLineCount must be between 1 and 10000');
  }
}

/** Integer cap that goes with a decimal pacing value. */
export function integerPacing(decimal: number): number {
  return Math.min(PACING_MAX, Math.max(PACING_MIN, Math.round(decimal)));
}

/**
 * Validates a parsed PUT body against the stored campaign and returns the replacement object
 * (without server-owned fields). Order of checks mirrors the platform: body, then version.
 */
export function validatePut(current: Campaign, body: Campaign, useDecimal: boolean): Campaign {
  if (body.id !== undefined && body.id !== current.id) throw invalid('id', 'The id in the body does not match the id in the path');
  if (body.version === undefined) throw invalid('version', 'version is required for updates');
  if (body.campaignStatus === undefined) throw invalid('campaignStatus', 'campaignStatus is required for updates');
  if ((body.dialingMode === 'predictive' || body.dialingMode === 'power') && body.abandonRate === undefined) {
    throw invalid('abandonRate', 'abandonRate is required for power and predictive campaigns');
  }
  if (body.dialingMode === 'agentless' && body.outboundLineCount === undefined) {
    throw invalid('outboundLineCount', 'outboundLineCount is required for agentless campaigns');
  }
  if (body.phoneColumns.length === 0) throw invalid('phoneColumns', 'At least one phone column is required');
  if (!body.contactList.id) throw invalid('contactList', 'contactList.id is required');
  if (body.priority !== undefined && !(body.priority >= 1 && body.priority <= 5)) throw invalid('priority', 'priority must be between 1 and 5');
  if (body.noAnswerTimeout !== undefined && !(body.noAnswerTimeout >= 15 && body.noAnswerTimeout <= 300)) {
    throw invalid('noAnswerTimeout', 'noAnswerTimeout must be between 15 and 300 seconds');
  }
  checkCommon(body);
  if (body.version !== current.version) {
    throw genesysError('conflict', { entityId: current.id, details: [{ fieldName: 'version', errorCode: 'version.mismatch', entityId: current.id }] });
  }
  checkTransition(current.campaignStatus, body.campaignStatus);

  const next: Campaign = { ...body };
  if (useDecimal && body.maxCallsPerAgentDecimal !== undefined) {
    checkPacing('maxCallsPerAgentDecimal', body.maxCallsPerAgentDecimal);
    next.maxCallsPerAgentDecimal = body.maxCallsPerAgentDecimal;
    next.maxCallsPerAgent = integerPacing(body.maxCallsPerAgentDecimal);
  } else if (body.maxCallsPerAgent !== undefined) {
    checkPacing('maxCallsPerAgent', body.maxCallsPerAgent);
    // Without the query flag the platform takes the integer field; the decimal follows it.
    next.maxCallsPerAgentDecimal = body.maxCallsPerAgent;
  } else {
    delete next.maxCallsPerAgent;
    delete next.maxCallsPerAgentDecimal;
  }
  return next;
}

/** Applies a validated PATCH body to a copy of the campaign (no version check: last writer wins). */
export function applyPatch(current: Campaign, patch: CampaignPatchRequest, queueName?: (id: string) => string | undefined): Campaign {
  checkCommon(patch);
  checkPacing('maxCallsPerAgent', patch.maxCallsPerAgent);
  const next: Campaign = structuredClone(current);
  if (patch.outboundLineCount !== undefined) next.outboundLineCount = patch.outboundLineCount;
  if (patch.abandonRate !== undefined) next.abandonRate = patch.abandonRate;
  if (patch.maxCallsPerAgent !== undefined) {
    next.maxCallsPerAgentDecimal = patch.maxCallsPerAgent;
    next.maxCallsPerAgent = integerPacing(patch.maxCallsPerAgent);
  }
  if (patch.dynamicLineBalancingSettings !== undefined) {
    next.dynamicLineBalancingSettings = { ...next.dynamicLineBalancingSettings, ...patch.dynamicLineBalancingSettings };
  }
  if (patch.queue !== undefined) {
    const name = queueName?.(patch.queue.id);
    next.queue = { id: patch.queue.id, ...(name ? { name } : {}), selfUri: `/api/v2/routing/queues/${patch.queue.id}` };
  }
  return next;
}

/** The pacing value the dialer model should use for a campaign. */
export function pacingOf(c: Campaign, fallback: number): number {
  return c.maxCallsPerAgentDecimal ?? c.maxCallsPerAgent ?? fallback;
}

/** Whether the simulator's dialer places calls for this campaign. */
export function isDialing(c: Campaign): boolean {
  return c.campaignStatus === 'on' && (c.dialingMode === 'predictive' || c.dialingMode === 'power');
}
