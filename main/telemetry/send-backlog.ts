// The send loop: batches out of the spool, through the sender, acknowledged back into the spool.
// Up to `maxInFlight` requests run at once, so a slow round trip (a WAN, a busy database) does
// not idle the link; batches still go out, and are acknowledged, in spool order.
import type { DeliveryResult, RejectedPoint } from './batch-sender.ts';
import type { Spool, SpoolBatch, SpoolPosition } from './spool.ts';

export interface SendBacklogContext {
  spool: Spool;
  batchSize: number;
  maxBodyBytes: number;
  maxInFlight: number;
  /** Also send a final partial batch (flush, timer); otherwise only full batches. */
  drainAll: boolean;
  /** True when no new request may start (halted, closed, backing off). */
  stopped(): boolean;
  deliver(batch: SpoolBatch): Promise<DeliveryResult>;
  onSend(): void;
  onRejected(points: RejectedPoint[]): Promise<void>;
  onDelivered(points: number, moreInFlight: boolean): void;
  onFailure(e: unknown): void;
}

/** Sends until the spool is drained, less than a batch is left (unless drainAll), or a request fails. */
export async function sendBacklog(c: SendBacklogContext): Promise<void> {
  const queue: { batch: SpoolBatch; result: Promise<DeliveryResult | { failed: unknown }> }[] = [];
  let queued = 0;
  let after: SpoolPosition | undefined;
  // When a request fails, the ones behind it may still land; that is harmless (a resend
  // overwrites), but they are waited for so that none is running when the batches go out again.
  const fail = async (e: unknown) => {
    await Promise.all(queue.map((q) => q.result));
    c.spool.release();
    c.onFailure(e);
  };
  for (;;) {
    while (queue.length < c.maxInFlight && !c.stopped()) {
      const unsent = c.spool.backlogPoints - queued;
      if (unsent <= 0 || (!c.drainAll && unsent < c.batchSize)) break;
      const batch = await c.spool.peek(c.batchSize, c.maxBodyBytes, after);
      if (batch.records.count === 0) break;
      after = batch.end;
      queued += batch.records.count;
      c.onSend();
      queue.push({ batch, result: c.deliver(batch).catch((e: unknown) => ({ failed: e })) });
    }
    const head = queue.shift();
    if (!head) return;
    const r = await head.result;
    queued -= head.batch.records.count;
    if ('failed' in r) return fail(r.failed);
    try {
      if (r.rejected.length) await c.onRejected(r.rejected);
      await c.spool.ack(head.batch, r.rejected.length);
    } catch (e) {
      return fail(e);
    }
    c.onDelivered(r.delivered, queue.length > 0);
  }
}
