// The bridge over the headless host's WebSocket: the same PacekeeperBridge the Electron preload
// exposes, carried as { id, method, request } → { type: 'result' | 'event' } frames. The token is
// the second subprotocol, never in the URL. It reconnects with backoff and reports its status so
// the dashboard can refetch what it missed.
import {
  WS_BRIDGE_PROTOCOL,
  WsServerFrameSchema,
  type EventName,
  type EventPayload,
  type InvokeName,
  type InvokeRequest,
  type InvokeResponse,
  type PacekeeperBridge,
  type Result,
} from '../../preload/contract.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Times the socket has opened; above 1 means a reconnect (refetch state). */
  opens: number;
  /** Failed attempts since the last open. */
  failures: number;
  /** Close code of the last close, if any. */
  lastCode: number | null;
}

export interface ConnectionSource {
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

export interface WsBridgeOptions {
  /** ws://host:port/bridge */
  url: string;
  token: string;
  /** How long an invoke waits (for the connection and the answer). Default 30 s. */
  timeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Injected in tests; defaults to the browser's WebSocket. */
  WebSocketImpl?: typeof WebSocket;
}

export type WsBridge = PacekeeperBridge & ConnectionSource & { close(): void };

interface Pending {
  resolve: (r: Result<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

const unavailable = (message: string): Result<never> => ({ ok: false, error: { code: 'unavailable', message } });

export function createWsBridge(opts: WsBridgeOptions): WsBridge {
  const Impl = opts.WebSocketImpl ?? WebSocket;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const minBackoff = opts.minBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 15_000;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const waitingForOpen = new Set<() => void>();
  let status: ConnectionStatus = { state: 'connecting', opens: 0, failures: 0, lastCode: null };
  let socket: WebSocket | null = null;
  let nextId = 1;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const setStatus = (next: Partial<ConnectionStatus>) => {
    status = { ...status, ...next };
    for (const l of [...statusListeners]) l(status);
  };

  function connect(): void {
    if (closed) return;
    setStatus({ state: 'connecting' });
    const ws = new Impl(opts.url, [WS_BRIDGE_PROTOCOL, opts.token]);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      setStatus({ state: 'open', opens: status.opens + 1, failures: 0 });
      for (const w of [...waitingForOpen]) w();
    };
    ws.onmessage = (ev: MessageEvent) => onFrame(ev.data);
    ws.onclose = (ev: CloseEvent) => {
      if (socket === ws) socket = null;
      // Requests in flight on this socket will never be answered.
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.resolve(unavailable('The connection to Pacekeeper closed before it answered.'));
        pending.delete(id);
      }
      const failures = opened ? 0 : status.failures + 1;
      setStatus({ state: 'closed', lastCode: ev.code, failures });
      if (closed) return;
      const delay = Math.min(maxBackoff, minBackoff * 2 ** Math.min(failures, 10)) * (0.75 + Math.random() * 0.5);
      retryTimer = setTimeout(connect, delay);
    };
  }

  function onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const frame = WsServerFrameSchema.safeParse(raw);
    if (!frame.success) return;
    if (frame.data.type === 'result') {
      const p = pending.get(frame.data.id);
      if (!p) return;
      pending.delete(frame.data.id);
      clearTimeout(p.timer);
      // The result's shape is checked by the caller (checked-bridge), as for IPC.
      p.resolve(frame.data.result as Result<unknown>);
      return;
    }
    for (const l of [...(listeners.get(frame.data.name) ?? [])]) {
      try {
        l(frame.data.payload);
      } catch (e) {
        console.warn('pacekeeper bridge listener failed', e);
      }
    }
  }

  function whenOpen(deadline: number): Promise<boolean> {
    if (socket?.readyState === Impl.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        waitingForOpen.delete(onOpen);
        clearTimeout(t);
        resolve(ok);
      };
      const onOpen = () => done(true);
      const t = setTimeout(() => done(false), Math.max(0, deadline - Date.now()));
      waitingForOpen.add(onOpen);
    });
  }

  connect();

  return {
    async invoke<K extends InvokeName>(name: K, request: InvokeRequest<K>): Promise<Result<InvokeResponse<K>>> {
      const deadline = Date.now() + timeoutMs;
      if (closed || !(await whenOpen(deadline)) || !socket) return unavailable('Not connected to Pacekeeper.');
      const id = nextId++;
      const ws = socket;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(unavailable(`Pacekeeper did not answer ${name} in time.`));
        }, Math.max(0, deadline - Date.now()));
        pending.set(id, { resolve: resolve as (r: Result<unknown>) => void, timer });
        ws.send(JSON.stringify({ id, method: name, request: request ?? undefined }));
      });
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      socket?.close(1000, 'page closing');
    },
  };
}
