// The one handler table behind both bridge transports. Each transport (Electron IPC, the headless
// WebSocket) authenticates its sender, then calls `dispatch`, which checks the method name, validates
// the request against the contract, runs the handler and turns any throw into a Result error.
import {
  invokeMap,
  type BridgeError,
  type InvokeMap,
  type InvokeName,
  type InvokeResponse,
  type Result,
} from '../../preload/contract.ts';
import type { z } from 'zod';
import type { Logger } from '../util/log.ts';
import { redactor } from '../util/redact.ts';

export type HandlerRequest<K extends InvokeName> = z.output<InvokeMap[K]['request']>;

export type BridgeHandlers = {
  [K in InvokeName]: (request: HandlerRequest<K>) => Promise<Result<InvokeResponse<K>>>;
};

/** Thrown by handlers for errors a user can act on; anything else becomes a generic 'failed'. */
export class BridgeFailure extends Error {
  readonly error: BridgeError;
  constructor(error: BridgeError) {
    super(error.message);
    this.name = 'BridgeFailure';
    this.error = error;
  }
}

export function isInvokeName(name: unknown): name is InvokeName {
  return typeof name === 'string' && Object.hasOwn(invokeMap, name);
}

export function createDispatcher(handlers: BridgeHandlers, logger: Logger) {
  return async function dispatch(name: unknown, request: unknown): Promise<Result<unknown>> {
    if (!isInvokeName(name)) {
      return { ok: false, error: { code: 'unknown-method', message: `Unknown bridge method ${JSON.stringify(String(name)).slice(0, 80)}.` } };
    }
    const parsed = invokeMap[name].request.safeParse(request);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid-request',
          message: `Invalid request for ${name}.`,
          fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      };
    }
    try {
      const handler = handlers[name] as (r: unknown) => Promise<Result<unknown>>;
      const result = await handler(parsed.data);
      if (result.ok) {
        // Main's own answers are checked too: a bug must not ship malformed state to the renderer.
        const out = invokeMap[name].response.safeParse(result.value);
        if (!out.success) {
          logger.error('bridge response failed its schema', { method: name, issues: out.error.issues.slice(0, 5) });
          return { ok: false, error: { code: 'failed', message: `Internal error answering ${name}.` } };
        }
        return { ok: true, value: out.data };
      }
      return { ok: false, error: { ...result.error, message: redactor.text(result.error.message) } };
    } catch (e) {
      if (e instanceof BridgeFailure) return { ok: false, error: { ...e.error, message: redactor.text(e.error.message) } };
      logger.error('bridge handler threw', { method: name, error: e });
      return { ok: false, error: { code: 'failed', message: `${name} failed: ${redactor.text(e instanceof Error ? e.message : String(e))}` } };
    }
  };
}

export type BridgeDispatch = ReturnType<typeof createDispatcher>;
