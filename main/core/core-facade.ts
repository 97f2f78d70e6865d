// What a host (the Electron shell or the headless host) sees of core: the bridge dispatcher, the
// current state, the bridge events, and lifecycle. Hosts never reach into the engines directly.
import type { CoreState, EventName, EventPayload } from '../../preload/contract.ts';
import type { BridgeDispatch } from './bridge-dispatch.ts';

export interface CoreFacade {
  /** Validated entry point for every bridge request, whichever transport carried it. */
  readonly dispatch: BridgeDispatch;
  state(): CoreState;
  /** Bridge events (state, history, log, navigate). Returns an unsubscribe function. */
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  /** Asks the renderer to show a view (used when a notification is clicked). */
  navigate(payload: EventPayload<'navigate'>): void;
  start(): Promise<void>;
  /** Drains the relay, stops the loops, flushes telemetry. */
  stop(reason: 'shutdown' | 'restart'): Promise<void>;
}
