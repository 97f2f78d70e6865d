// The relay's upstream through main/genesys: channels and subscriptions over the Genesys REST
// client and channel sockets over the net layer's WebSocket, so proxy, CA and OAuth settings apply
// to the relay exactly as to everything else (ARCHITECTURE rule 3).
import type { GenesysClient } from '../genesys/client.ts';
import type { ChannelTopic } from '../genesys/models.ts';
import type { SubscribeOutcome, UpstreamPlatform, UpstreamSocket, UpstreamSocketHandlers } from './upstream-types.ts';

/** A client may only send 1000 or 3000–4999 (WHATWG WebSocket); anything else becomes 1000. */
export function clientCloseCode(code: number | undefined): number {
  return code === 1000 || (code !== undefined && code >= 3000 && code <= 4999) ? code : 1000;
}

/**
 * Which requested topics the platform did not take. With `ignoreErrors=true` it answers 200 and
 * lists refused topics with state "Rejected"; a requested topic missing from the answer was not
 * subscribed either.
 */
export function refusedTopics(requested: readonly string[], entities: readonly ChannelTopic[]): SubscribeOutcome['refused'] {
  const live = new Set<string>();
  const rejected = new Map<string, string>();
  for (const e of entities) {
    if ((e.state ?? '').toLowerCase() === 'rejected' || e.rejectionReason) rejected.set(e.id, e.rejectionReason ?? 'rejected');
    else live.add(e.id);
  }
  return requested.filter((t) => !live.has(t)).map((topic) => ({ topic, reason: rejected.get(topic) ?? 'not subscribed' }));
}

export function genesysUpstream(client: GenesysClient): UpstreamPlatform {
  return {
    async createChannel() {
      const ch = await client.createChannel();
      const expiresAt = Date.parse(ch.expires);
      return { id: ch.id, connectUri: ch.connectUri, expiresAt: Number.isFinite(expiresAt) ? expiresAt : Date.now() + 24 * 3600 * 1000 };
    },

    async subscribe(channelId, topics, mode) {
      const entities = mode === 'add'
        ? await client.addSubscriptions(channelId, topics, { ignoreErrors: true })
        : await client.putSubscriptions(channelId, topics, { ignoreErrors: true });
      return { refused: refusedTopics(topics, entities) };
    },

    async connect(connectUri: string, handlers: UpstreamSocketHandlers, opts = {}): Promise<UpstreamSocket> {
      const ws = await client.openChannelSocket(connectUri, opts.fresh ? { fresh: true } : {});
      ws.binaryType = 'arraybuffer';
      let closed = false;
      ws.addEventListener('message', (ev) => {
        const data: unknown = ev.data;
        handlers.onMessage(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8'));
      });
      ws.addEventListener('close', (ev) => {
        if (closed) return;
        closed = true;
        handlers.onClose(ev.code, ev.reason);
      });
      // The socket may have closed between open and our listener: report it rather than hang.
      if (ws.readyState === ws.CLOSED && !closed) {
        closed = true;
        queueMicrotask(() => handlers.onClose(1006, 'closed before listening'));
      }
      return {
        send: (text) => {
          if (ws.readyState === ws.OPEN) ws.send(text);
        },
        close: (code, reason) => {
          if (ws.readyState === ws.CLOSED || ws.readyState === ws.CLOSING) return;
          ws.close(clientCloseCode(code), (reason ?? '').slice(0, 100));
        },
      };
    },

    onTokenRotated(listener) {
      // The first token is no rotation; every later one is (channels die with their token).
      let seen = client.tokens.current() !== undefined;
      return client.tokens.onToken(() => {
        if (seen) listener();
        seen = true;
      });
    },
  };
}
