// A client's outbound queue policy (notes/wsrelay.md §2.1 "Backpressure", §7.3): bounded in bytes
// (counting what the socket already buffers) and in messages. Above the coalescing threshold a
// latest-wins topic (presence, stats) keeps only its newest queued event per client, replaced
// in place so every topic stays in order. Over a bound the client is a slow consumer. Pure: no
// sockets here; the session moves items from this queue to its socket.

export interface QueueLimits {
  /** Byte bound over queued + socket-buffered bytes (default 1 MiB). */
  maxBytes: number;
  /** Bound on queued messages (default 4,096). */
  maxMessages: number;
  /** Fraction of either bound above which latest-wins topics coalesce (default 0.7). */
  coalesceAt: number;
}

export interface QueueItem {
  topic: string;
  frame: Buffer;
  bytes: number;
  latestWins: boolean;
  /** performance.now() when the event reached the relay, for the delivery-latency metric. */
  arrivedAt: number;
}

export type PushOutcome = 'queued' | 'coalesced' | 'overflow';

export class ClientQueue {
  readonly #limits: QueueLimits;
  #items: Array<QueueItem | undefined> = [];
  #head = 0;
  #bytes = 0;
  // Only latest-wins items are indexed, and only while queued.
  #latest: Map<string, QueueItem> | undefined;

  constructor(limits: QueueLimits) {
    this.#limits = limits;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Adds an item given how many bytes the socket already holds. 'coalesced' means an older
   * queued event of the same topic was replaced (one drop); 'overflow' means the client must go.
   */
  push(item: QueueItem, socketBytes: number): PushOutcome {
    const { maxBytes, maxMessages, coalesceAt } = this.#limits;
    const depth = socketBytes + this.#bytes;
    const pressured = depth + item.bytes > maxBytes * coalesceAt || this.length + 1 > maxMessages * coalesceAt;
    if (item.latestWins && pressured) {
      const older = this.#latest?.get(item.topic);
      if (older) {
        if (depth - older.bytes + item.bytes > maxBytes) return 'overflow';
        this.#bytes += item.bytes - older.bytes;
        older.frame = item.frame;
        older.bytes = item.bytes;
        older.arrivedAt = item.arrivedAt;
        return 'coalesced';
      }
    }
    if (depth + item.bytes > maxBytes || this.length + 1 > maxMessages) return 'overflow';
    this.#items.push(item);
    this.#bytes += item.bytes;
    if (item.latestWins) (this.#latest ??= new Map()).set(item.topic, item);
    return 'queued';
  }

  /** Next item to write, oldest first. */
  shift(): QueueItem | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (!item) return undefined;
    this.#bytes -= item.bytes;
    if (item.latestWins && this.#latest?.get(item.topic) === item) this.#latest.delete(item.topic);
    if (this.#head === this.#items.length) this.clear();
    else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#latest = undefined;
  }
}
