// The dashboard never trusts what arrives over the bridge, whichever transport carried it: every
// invoke result and event payload is checked against the contract's schemas. Bad data is dropped
// and reported (the page shows a non-blocking notice) instead of reaching the views, and a
// listener that throws cannot stop the others.
import {
  eventMap,
  invokeMap,
  resultSchema,
  type EventName,
  type EventPayload,
  type InvokeName,
  type InvokeRequest,
  type InvokeResponse,
  type PacekeeperBridge,
  type Result,
} from '../../preload/contract.ts';

export interface BridgeProblem {
  /** e.g. "state event", "state:get answer", "log listener". */
  where: string;
  message: string;
}

export type ProblemSink = (problem: BridgeProblem) => void;

/** The first few schema issues as one line: "campaigns.0.current: Invalid input…". */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return shown.join('; ') + (issues.length > 3 ? ` (+${issues.length - 3} more)` : '');
}

const resultSchemas = new Map<InvokeName, ReturnType<typeof resultSchema>>();
function resultSchemaFor(name: InvokeName) {
  let s = resultSchemas.get(name);
  if (!s) resultSchemas.set(name, (s = resultSchema(invokeMap[name].response)));
  return s;
}

export function checkedBridge(inner: PacekeeperBridge, report: ProblemSink): PacekeeperBridge {
  return {
    async invoke<K extends InvokeName>(name: K, request: InvokeRequest<K>): Promise<Result<InvokeResponse<K>>> {
      let raw: unknown;
      try {
        raw = await inner.invoke(name, request);
      } catch (e) {
        return { ok: false, error: { code: 'failed', message: `${name} failed: ${e instanceof Error ? e.message : String(e)}` } };
      }
      const parsed = resultSchemaFor(name).safeParse(raw);
      if (!parsed.success) {
        const message = describeIssues(parsed.error.issues);
        report({ where: `${name} answer`, message });
        return { ok: false, error: { code: 'failed', message: `Pacekeeper sent a malformed answer to ${name}.` } };
      }
      return parsed.data as Result<InvokeResponse<K>>;
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
      return inner.on(name, (payload: unknown) => {
        const parsed = eventMap[name].safeParse(payload);
        if (!parsed.success) {
          report({ where: `${name} event`, message: describeIssues(parsed.error.issues) });
          return;
        }
        try {
          listener(parsed.data as EventPayload<K>);
        } catch (e) {
          report({ where: `${name} listener`, message: e instanceof Error ? e.message : String(e) });
        }
      });
    },
  };
}
