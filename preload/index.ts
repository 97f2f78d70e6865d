// The sandboxed preload: exposes `window.pacekeeper` (PacekeeperBridge) with two named methods and
// nothing else: never ipcRenderer, never the IpcRendererEvent. It runs without Node modules, so the
// contract is imported for types only and the channel names are restated here; `typeof` ties each
// literal to the contract, so a renamed channel fails the typecheck.
import { contextBridge, ipcRenderer } from 'electron';
import type {
  EventName,
  EventPayload,
  InvokeName,
  InvokeRequest,
  InvokeResponse,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_PREFIX,
  PacekeeperBridge,
  Result,
} from './contract.ts';

const INVOKE_PREFIX: typeof IPC_INVOKE_PREFIX = 'pacekeeper:invoke:';
const EVENT_CHANNEL: typeof IPC_EVENT_CHANNEL = 'pacekeeper:event';

// Records so the typecheck fails when the contract gains or loses a name.
const INVOKE_NAMES: Readonly<Record<InvokeName, true>> = {
  'state:get': true,
  'history:get': true,
  'events:get': true,
  'campaign:command': true,
  'settings:get': true,
  'settings:update': true,
  'doctor:run': true,
};
const EVENT_NAMES: Readonly<Record<EventName, true>> = { state: true, history: true, log: true, navigate: true };

const listeners = new Map<EventName, Set<(payload: never) => void>>();
let subscribed = false;

function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  // One IPC listener for all events; the IpcRendererEvent stays here.
  ipcRenderer.on(EVENT_CHANNEL, (_event, envelope: { name?: unknown; payload?: unknown }) => {
    if (typeof envelope?.name !== 'string' || !Object.hasOwn(EVENT_NAMES, envelope.name)) return;
    for (const listener of [...(listeners.get(envelope.name as EventName) ?? [])]) {
      try {
        (listener as (payload: unknown) => void)(envelope.payload);
      } catch (error) {
        console.error('pacekeeper bridge listener failed', error);
      }
    }
  });
}

const bridge: PacekeeperBridge = {
  invoke<K extends InvokeName>(name: K, request: InvokeRequest<K>): Promise<Result<InvokeResponse<K>>> {
    if (typeof name !== 'string' || !Object.hasOwn(INVOKE_NAMES, name)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown-method', message: `Unknown bridge method ${String(name).slice(0, 80)}.` } });
    }
    return ipcRenderer.invoke(`${INVOKE_PREFIX}${name}`, request) as Promise<Result<InvokeResponse<K>>>;
  },
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    if (typeof name !== 'string' || !Object.hasOwn(EVENT_NAMES, name) || typeof listener !== 'function') return () => {};
    subscribeOnce();
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  },
};

contextBridge.exposeInMainWorld('pacekeeper', Object.freeze({ invoke: bridge.invoke, on: bridge.on }));
