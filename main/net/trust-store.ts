// The trust store: Node's default roots + the OS store + user PEM bundles, added together, never a
// replacement (`ca: [corpCA]` alone would drop every public root and NODE_EXTRA_CA_CERTS).
// There is deliberately no option that disables verification.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as tls from 'node:tls';
import { CaBundleInvalid } from './errors.ts';

export type TrustSource = 'bundled' | 'extra' | 'system' | `user:${string}`;
type CaType = 'default' | 'system' | 'bundled' | 'extra';

export interface TrustAnchor {
  source: TrustSource;
  subject: string;
  fingerprint256: string;
  x509: X509Certificate;
}

export interface TrustStore {
  /** PEM strings for `ca:` (deduplicated). */
  ca: string[];
  anchors: TrustAnchor[];
  /** How many roots each source contributed, plus notes on fallbacks taken. */
  summary: { counts: Record<string, number>; notes: string[] };
}

/** What the runtime offers; injectable so the fallback logic is testable as a pure function. */
export interface CaFeatures {
  getCACertificates?: (type: CaType) => string[];
  rootCertificates: readonly string[];
  platform: NodeJS.Platform;
}

export type CaPlan =
  | { default: 'getCACertificates'; system: 'getCACertificates' | 'none'; notes: string[] }
  | { default: 'rootCertificates+extra-file'; system: 'linux-bundle-file' | 'none'; notes: string[] };

export const LINUX_SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
];

/**
 * Chooses how to assemble the store. `tls.getCACertificates` exists from Node 22.15 / 23.10; on
 * older runtimes `tls.rootCertificates` is only the bundled Mozilla set, so NODE_EXTRA_CA_CERTS is
 * read by hand and the OS store comes from the distribution bundle on Linux (none elsewhere).
 */
export function planCaSources(f: CaFeatures, useSystem: boolean): CaPlan {
  if (typeof f.getCACertificates === 'function') {
    return { default: 'getCACertificates', system: useSystem ? 'getCACertificates' : 'none', notes: [] };
  }
  const notes = ['tls.getCACertificates unavailable (Node < 22.15): using tls.rootCertificates + NODE_EXTRA_CA_CERTS'];
  if (useSystem && f.platform !== 'linux') notes.push(`OS trust store not readable on ${f.platform} with this runtime; add corporate roots as a CA bundle`);
  return { default: 'rootCertificates+extra-file', system: useSystem && f.platform === 'linux' ? 'linux-bundle-file' : 'none', notes };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function splitPem(text: string): string[] {
  return text.match(PEM_BLOCK) ?? [];
}

/**
 * Parses and validates a user bundle. A missing file, non-PEM content, an expired (or not yet
 * valid) certificate or a non-CA server certificate is an error naming the file.
 */
export function validateUserBundle(path: string, text: string, nowMs: number): X509Certificate[] {
  const blocks = splitPem(text);
  if (blocks.length === 0) {
    throw new CaBundleInvalid(path, 'not-pem', text.trim() ? 'no PEM certificate found (is it DER or PKCS#12?)' : 'the file is empty');
  }
  return blocks.map((pem, i) => {
    let x: X509Certificate;
    try {
      x = new X509Certificate(pem);
    } catch (e) {
      throw new CaBundleInvalid(path, 'not-pem', `certificate #${i + 1} cannot be parsed`, { cause: e });
    }
    const subject = oneLine(x.subject);
    if (Date.parse(x.validTo) < nowMs) throw new CaBundleInvalid(path, 'expired', `certificate "${subject}" expired on ${x.validTo}`);
    if (Date.parse(x.validFrom) > nowMs) throw new CaBundleInvalid(path, 'not-yet-valid', `certificate "${subject}" is valid from ${x.validFrom}`);
    if (!x.ca && x.subject !== x.issuer) throw new CaBundleInvalid(path, 'not-a-ca', `certificate "${subject}" is not a CA certificate`);
    return x;
  });
}

export function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

export interface LoadTrustOptions {
  caBundlePaths: readonly string[];
  useSystemCa: boolean;
  nowMs: number;
  env?: Readonly<Record<string, string | undefined>>;
  features?: CaFeatures;
}

export function runtimeCaFeatures(): CaFeatures {
  const g = (tls as unknown as { getCACertificates?: (t: CaType) => string[] }).getCACertificates;
  return { ...(typeof g === 'function' ? { getCACertificates: g.bind(tls) } : {}), rootCertificates: tls.rootCertificates, platform: process.platform };
}

export async function loadTrustStore(opts: LoadTrustOptions): Promise<TrustStore> {
  const f = opts.features ?? runtimeCaFeatures();
  const env = opts.env ?? process.env;
  const plan = planCaSources(f, opts.useSystemCa);
  const anchors: TrustAnchor[] = [];
  const seen = new Set<string>();
  const counts: Record<string, number> = {};
  const add = (pem: string, source: TrustSource) => {
    let x: X509Certificate;
    try {
      x = new X509Certificate(pem);
    } catch {
      return; // a broken root in a system bundle is not the user's fault; skip it
    }
    if (seen.has(x.fingerprint256)) return;
    seen.add(x.fingerprint256);
    anchors.push({ source, subject: oneLine(x.subject), fingerprint256: x.fingerprint256, x509: x });
    const key = source.startsWith('user:') ? 'user' : source;
    counts[key] = (counts[key] ?? 0) + 1;
  };

  if (plan.default === 'getCACertificates' && f.getCACertificates) {
    // Label bundled and NODE_EXTRA_CA_CERTS roots first, then whatever else 'default' holds
    // (system roots when Node runs with --use-system-ca).
    for (const pem of safeList(f.getCACertificates, 'bundled')) add(pem, 'bundled');
    for (const pem of safeList(f.getCACertificates, 'extra')) add(pem, 'extra');
    for (const pem of safeList(f.getCACertificates, 'default')) add(pem, 'system');
    if (plan.system === 'getCACertificates') for (const pem of safeList(f.getCACertificates, 'system')) add(pem, 'system');
  } else {
    for (const pem of f.rootCertificates) add(pem, 'bundled');
    const extra = env.NODE_EXTRA_CA_CERTS;
    if (extra) for (const pem of splitPem(await readFile(extra, 'utf8').catch(() => ''))) add(pem, 'extra');
    if (plan.system === 'linux-bundle-file') {
      for (const p of LINUX_SYSTEM_BUNDLES) {
        const text = await readFile(p, 'utf8').catch(() => undefined);
        if (text !== undefined) {
          for (const pem of splitPem(text)) add(pem, 'system');
          break;
        }
      }
    }
  }

  for (const path of opts.caBundlePaths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CaBundleInvalid(path, code === 'ENOENT' ? 'missing' : 'unreadable', code === 'ENOENT' ? 'file not found' : `cannot read (${code})`, { cause: e });
    }
    for (const x of validateUserBundle(path, text, opts.nowMs)) add(x.toString(), `user:${path}`);
  }
  return { ca: anchors.map((a) => a.x509.toString()), anchors, summary: { counts, notes: plan.notes } };
}

function safeList(fn: (t: CaType) => string[], t: CaType): string[] {
  try {
    return fn(t);
  } catch {
    return [];
  }
}

/**
 * The anchor that vouches for a presented chain: the topmost certificate is either an anchor
 * itself or was issued by one. Used by the doctor to say which trust source validated a host.
 */
export function findAnchor(store: TrustStore, chainTop: X509Certificate): TrustAnchor | undefined {
  const self = store.anchors.find((a) => a.fingerprint256 === chainTop.fingerprint256);
  if (self) return self;
  return store.anchors.find((a) => a.x509.subject === chainTop.issuer && chainTop.checkIssued(a.x509) && chainTop.verify(a.x509.publicKey));
}
