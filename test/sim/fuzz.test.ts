// Nothing a client sends crashes the simulator: random and malformed bodies, wrong types, unknown
// fields, huge and deeply nested bodies, broken JSON, random paths, methods and headers, raw
// garbage on the socket and slow clients all get a 4xx JSON answer (or a clean close), and the
// simulator keeps serving afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fc from 'fast-check';
import { CampaignSchema, ErrorBodySchema, OAuthErrorSchema } from '../../main/genesys/models.ts';
import { call, getToken, startHarness, within, type Harness, type JsonResponse } from './sim-helpers.ts';

const BASE = '/api/v2/outbound/campaigns';
const RUNS = 120;

/** Every non-2xx answer is JSON in the platform's shape; nothing is a 5xx. */
function assertClientError(r: JsonResponse, what: string): void {
  assert.ok(r.status < 500, `${what}: got ${r.status} ${r.text.slice(0, 300)}`);
  if (r.status >= 400) {
    const parsed = ErrorBodySchema.safeParse(r.body);
    assert.ok(parsed.success, `${what}: not an ErrorBody: ${r.text.slice(0, 300)}`);
    assert.equal(parsed.data.status, r.status, what);
  }
}

function rawExchange(h: Harness, payload: string | Buffer, waitMs = 5000): Promise<string> {
  const { port } = new URL(h.sim.url);
  return within(
    new Promise<string>((resolve, reject) => {
      const sock = net.connect(Number(port), '127.0.0.1', () => sock.write(payload));
      let got = '';
      sock.on('data', (d) => (got += d.toString('latin1')));
      sock.on('close', () => resolve(got));
      sock.on('error', reject);
    }),
    waitMs,
    'server answer and close',
  );
}

describe('simulator fuzzing', () => {
  let h: Harness;
  let token: string;
  let campaignId: string;
  before(async () => {
    h = await startHarness({ rateLimitPerMinute: 1_000_000, limits: { headersTimeoutMs: 500, requestTimeoutMs: 2000, maxBodyBytes: 256 * 1024 } });
    token = await getToken(h);
    campaignId = h.sim.control.listCampaigns()[0]!.campaign.id as string;
  });
  after(() => h.close());

  test('random JSON bodies on every write endpoint get 2xx or a 4xx ErrorBody', async () => {
    const ch = (await call(h, 'POST', '/api/v2/notifications/channels', { token })).body;
    const targets: Array<['PUT' | 'PATCH' | 'POST', string]> = [
      ['PUT', `${BASE}/${campaignId}`],
      ['PATCH', `${BASE}/${campaignId}`],
      ['POST', '/api/v2/analytics/conversations/aggregates/query'],
      ['PUT', `/api/v2/notifications/channels/${ch.id}/subscriptions`],
      ['POST', `/api/v2/notifications/channels/${ch.id}/subscriptions`],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.jsonValue({ maxDepth: 4 }), async ([method, path], body) => {
        const r = await call(h, method, path, { token, body });
        assertClientError(r, `${method} ${path} ${JSON.stringify(body).slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('a valid campaign with one field replaced by a random value: 200, 400 or 409, never anything else', async () => {
    const current = (await call(h, 'GET', `${BASE}/${campaignId}`, { token })).body as Record<string, unknown>;
    const keys = [...Object.keys(current), 'predictedDialRate', '__proto__', 'constructor', ''];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), async (key, value) => {
        const fresh = (await call(h, 'GET', `${BASE}/${campaignId}`, { token })).body as Record<string, unknown>;
        const body = JSON.parse(JSON.stringify(fresh));
        Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
        const r = await call(h, 'PUT', `${BASE}/${campaignId}?useMaxCallsPerAgentDecimal=true`, { token, body });
        assert.ok([200, 400, 409].includes(r.status), `${key}=${JSON.stringify(value)}: ${r.status} ${r.text.slice(0, 200)}`);
        if (r.status === 200) CampaignSchema.strict().parse(r.body);
        else assertClientError(r, key);
      }),
      { numRuns: RUNS },
    );
  });

  test('broken JSON, wrong content types and invalid UTF-8 are 400/415', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        fc.pre(!valid && text.length > 0);
        const r = await call(h, 'PATCH', `${BASE}/${campaignId}`, { token, rawBody: text, headers: { 'content-type': 'application/json' } });
        assert.equal(r.status, 400, text);
        assert.equal(r.body.code, 'bad.request');
      }),
      { numRuns: RUNS },
    );
    const xml = await call(h, 'PATCH', `${BASE}/${campaignId}`, { token, rawBody: '<a/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(xml.status, 415);
    assert.equal(xml.body.code, 'unsupported.media.type');
    const latin1 = await call(h, 'PATCH', `${BASE}/${campaignId}`, { token, rawBody: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'content-type': 'application/json' } });
    assert.equal(latin1.status, 400);
  });

  test('huge and deeply nested bodies', async () => {
    const huge = await call(h, 'PUT', `${BASE}/${campaignId}`, { token, rawBody: '{"a":"' + 'x'.repeat(400 * 1024) + '"}', headers: { 'content-type': 'application/json' } }).catch((e: Error) => e);
    // Either the 413 arrives, or the connection is cut mid-upload; both are refusals.
    if (!(huge instanceof Error)) {
      assert.equal(huge.status, 413);
      assert.equal(huge.body.code, 'request.entity.too.large');
    }
    const chunk = 'x'.repeat(300 * 1024);
    const chunked = await rawExchange(
      h,
      `PATCH ${BASE}/${campaignId} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    assert.match(chunked, /^HTTP\/1\.1 413 /, 'a chunked upload without a length is cut off at the cap too');
    const deep = await call(h, 'POST', '/api/v2/analytics/conversations/aggregates/query', { token, rawBody: '['.repeat(200_000), headers: { 'content-type': 'application/json' } });
    assert.equal(deep.status, 400);
    const nested = await call(h, 'PATCH', `${BASE}/${campaignId}`, { token, rawBody: '{"queue":'.repeat(10_000) + '1' + '}'.repeat(10_000), headers: { 'content-type': 'application/json' } });
    assert.equal(nested.status, 400);
  });

  test('random paths, methods and headers get JSON 4xx answers', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
      fc.constantFrom('api', 'v2', 'outbound', 'campaigns', campaignId, 'stats', '..', '%ZZ', '%00', 'notifications', 'channels', '__sim', 'oauth', 'token'),
    );
    const path = fc.array(segment, { minLength: 0, maxLength: 6 }).map((s) => '/' + s.join('/'));
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') as fc.Arbitrary<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'>;
    const auth = fc.oneof(fc.constant(undefined), fc.constant(`Bearer ${token}`), fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')));
    const contentType = fc.oneof(fc.constant(undefined), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ';;;'));
    await fc.assert(
      fc.asyncProperty(method, path, auth, contentType, fc.option(fc.jsonValue({ maxDepth: 2 })), async (m, p, a, ct, body) => {
        const headers: Record<string, string> = {};
        if (a !== undefined) headers.authorization = a;
        if (ct !== undefined) headers['content-type'] = ct;
        const r = await call(h, m, p, { headers, ...(body !== null && m !== 'GET' ? { rawBody: JSON.stringify(body) } : {}) });
        if (p.startsWith('/__sim') && r.status < 400) return; // a valid admin call with the sandbox token is possible
        if (r.status >= 400) {
          if (p.startsWith('/oauth/token') && m === 'POST') assert.ok(OAuthErrorSchema.safeParse(r.body).success || ErrorBodySchema.safeParse(r.body).success, r.text);
          else assertClientError(r, `${m} ${p}`);
        }
        assert.ok(r.status < 500, `${m} ${p}: ${r.status}`);
        assert.ok(r.headers['inin-correlation-id'], 'every answer carries a correlation id');
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test('garbage on the socket is a 400 and a close', async () => {
    const got = await rawExchange(h, 'GARBAGE \u0000\u0001 NOT HTTP\r\n\r\n');
    assert.match(got, /^HTTP\/1\.1 400 /);
    assert.match(got, /"code":"bad.request"/);
    const overflow = await rawExchange(h, `GET ${BASE} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(overflow, /^HTTP\/1\.1 431 /);
  });

  test('a slow-loris client is cut off by the header timeout', async () => {
    const { port } = new URL(h.sim.url);
    const sock = net.connect(Number(port), '127.0.0.1');
    let got = '';
    sock.on('data', (d) => (got += d.toString()));
    sock.on('error', () => {});
    sock.write(`GET ${BASE} HTTP/1.1\r\nHost: localhost\r\n`);
    // Trickle one header line every 200 ms and never finish the headers.
    const trickle = setInterval(() => sock.write(`X-Slow-${Date.now()}: 1\r\n`), 200);
    try {
      await within(new Promise((r) => sock.on('close', r)), 8000, 'slow client disconnect');
    } finally {
      clearInterval(trickle);
      sock.destroy();
    }
    assert.match(got, /^HTTP\/1\.1 408 /);
  });

  test('the simulator still serves normally after all of that', async () => {
    const r = await call(h, 'GET', `${BASE}/${campaignId}`, { token });
    assert.equal(r.status, 200);
    CampaignSchema.strict().parse(r.body);
    assert.equal(h.sim.control.counters().statuses['500'], undefined, 'no internal errors at all');
  });
});
