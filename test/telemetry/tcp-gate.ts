// A loopback TCP relay between the writer and a real database, for tests that must see or stall
// the traffic: it records what clients send, and in `hold` mode passes requests through but keeps
// the database's answers back, so the database has stored a batch the writer never hears about.
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpGate {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #upstreamPort: number;
  port = 0;
  /** Everything clients sent, per connection, in order. */
  readonly sent: Buffer[][] = [];
  /** Bytes of answers held back while in hold mode. */
  heldBytes = 0;
  hold = false;

  private constructor(upstreamPort: number) {
    this.#upstreamPort = upstreamPort;
    this.#server = createServer((client) => this.#relay(client));
  }

  static async start(upstreamPort: number): Promise<TcpGate> {
    const g = new TcpGate(upstreamPort);
    await new Promise<void>((resolve) => g.#server.listen(0, '127.0.0.1', resolve));
    g.port = (g.#server.address() as { port: number }).port;
    return g;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** All request bytes sent so far, concatenated. */
  requestBytes(): Buffer {
    return Buffer.concat(this.sent.flat());
  }

  #relay(client: Socket): void {
    const upstream = connect(this.#upstreamPort, '127.0.0.1');
    const log: Buffer[] = [];
    this.sent.push(log);
    for (const s of [client, upstream]) {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (d: Buffer) => {
      log.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (this.hold) this.heldBytes += d.length;
      else client.write(d);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => {
      if (!this.hold) client.end();
    });
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
