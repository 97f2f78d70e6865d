// Request body reading and JSON responses. Bodies are capped and parsed defensively: anything a
// client sends turns into a 4xx ErrorBody, never an exception that escapes the request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { genesysError, SimHttpError } from './errors.ts';

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Reads the whole body, failing with 413 once `maxBytes` is passed (the rest is not buffered). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(genesysError('tooLarge', { headers: { connection: 'close' } }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: unknown, value?: Buffer) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err);
      else resolve(value as Buffer);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering; the response closes the connection so the client stops sending.
        req.resume();
        finish(genesysError('tooLarge', { headers: { connection: 'close' } }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined, Buffer.concat(chunks));
    const onError = (e: Error) => finish(e);
    // 'close' before 'end' means the client went away mid-body.
    const onClose = () => finish(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Parses a JSON request body. An empty body is `undefined` (the handler decides whether that is
 * allowed); a non-JSON content type is 415; broken JSON is 400.
 */
export function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type && !/^application\/([a-z0-9.+-]*\+)?json\b/.test(type)) throw genesysError('unsupportedMediaType');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw genesysError('badRequest', { message: 'The request body is not valid UTF-8.' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const detail = e instanceof SyntaxError ? e.message : 'nesting too deep';
    throw genesysError('badRequest', { message: `Unable to parse the request body as JSON: ${detail.slice(0, 200)}` });
  }
}

export function requireBody(value: unknown): unknown {
  if (value === undefined) throw genesysError('badRequest', { message: 'A request body is required.' });
  return value;
}

/** Writes a JSON (or empty) response once; later calls on a finished response are ignored. */
export function sendResult(res: ServerResponse, result: HandlerResult, correlationId: string): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const headers: Record<string, string> = { 'inin-correlation-id': correlationId, ...result.headers };
  let payload: Buffer | undefined;
  if (result.body !== undefined) {
    payload = Buffer.from(JSON.stringify(result.body));
    headers['content-type'] = 'application/json; charset=UTF-8';
    headers['content-length'] = String(payload.length);
  } else {
    headers['content-length'] = '0';
  }
  res.writeHead(result.status, headers);
  res.end(payload);
}

/** Converts anything thrown by a handler into a response; unknown errors become a 500 ErrorBody. */
export function errorResult(e: unknown, correlationId: string): HandlerResult {
  const err = e instanceof SimHttpError ? e : genesysError('internal');
  const body = err.body as Record<string, unknown>;
  // ErrorBody carries the correlation id as contextId; OAuth errors have no such field.
  const withContext = typeof body.code === 'string' && typeof body.status === 'number' ? { ...body, contextId: correlationId } : body;
  return { status: err.status, body: withContext, headers: err.headers };
}
