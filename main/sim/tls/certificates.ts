// A throwaway CA and a `localhost` server certificate, minted at simulator start with node:crypto
// (ECDSA P-256, SHA-256). Clients trust the sandbox by loading the CA PEM, never by turning off
// verification. Validity uses the real wall clock: TLS peers check it against their own clock,
// whatever the simulator's virtual time says.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import * as der from './der.ts';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  certDer: Buffer;
}

export interface SandboxPki {
  ca: IssuedCertificate;
  server: IssuedCertificate;
}

export interface PkiOptions {
  /** Names on the server certificate; IP literals become iPAddress entries. */
  hosts?: string[];
  /** Wall-clock "now" in ms (tests pin it). */
  nowMs?: number;
  caDays?: number;
  serverDays?: number;
}

const DAY = 86_400_000;

function name(commonName: string): Buffer {
  return der.sequence(
    der.set(der.sequence(der.oid(OID.organization), der.utf8String('Pacekeeper Sandbox'))),
    der.set(der.sequence(der.oid(OID.commonName), der.utf8String(commonName))),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

function serialNumber(): Buffer {
  const b = randomBytes(16);
  b[0] = ((b[0] as number) & 0x7f) | 0x01; // positive and never all-zero
  return b;
}

function keyId(spki: Buffer): Buffer {
  // RFC 5280 §4.2.1.2 method 1 hashes the key bits; any stable hash of the key serves.
  return createHash('sha1').update(spki).digest();
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand '::' and write 8 groups of 16 bits.
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

function sanList(hosts: string[]): Buffer {
  return der.sequence(
    ...hosts.map((h) => (isIP(h) ? der.implicitPrimitive(7, ipBytes(h)) : der.implicitPrimitive(2, Buffer.from(h, 'ascii')))),
  );
}

interface CertRequest {
  subject: string;
  issuer: string;
  spki: Buffer;
  issuerSpki: Buffer;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  hosts: string[];
}

function buildCertificate(r: CertRequest): Buffer {
  const sigAlg = der.sequence(der.oid(OID.ecdsaWithSha256));
  const extensions = [
    extension(OID.basicConstraints, true, r.isCa ? der.sequence(der.boolean(true), der.integer(0)) : der.sequence()),
    // keyCertSign + cRLSign + digitalSignature for the CA (0x86, 1 unused bit); digitalSignature for the leaf.
    extension(OID.keyUsage, true, r.isCa ? der.bitString(Buffer.from([0x86]), 1) : der.bitString(Buffer.from([0x80]), 7)),
    extension(OID.subjectKeyIdentifier, false, der.octetString(keyId(r.spki))),
  ];
  if (!r.isCa) {
    extensions.push(extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, keyId(r.issuerSpki)))));
    extensions.push(extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth))));
    extensions.push(extension(OID.subjectAltName, false, sanList(r.hosts)));
  }
  const tbs = der.sequence(
    der.explicit(0, der.integer(2)), // v3
    der.integer(serialNumber()),
    sigAlg,
    name(r.issuer),
    der.sequence(der.time(r.notBefore), der.time(r.notAfter)),
    name(r.subject),
    r.spki,
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, r.signingKey); // DER-encoded ECDSA-Sig-Value
  return der.sequence(tbs, sigAlg, der.bitString(signature));
}

/** Mints a CA and a server certificate signed by it. Takes a few milliseconds. */
export function createSandboxPki(opts: PkiOptions = {}): SandboxPki {
  const now = opts.nowMs ?? Date.now();
  const hosts = opts.hosts ?? ['localhost', '127.0.0.1', '::1'];
  // An hour of slack for peers whose clock runs a little behind.
  const notBefore = new Date(now - 3_600_000);
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serverKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caSpki = caKeys.publicKey.export({ type: 'spki', format: 'der' });
  const serverSpki = serverKeys.publicKey.export({ type: 'spki', format: 'der' });
  const stamp = new Date(now).toISOString().slice(0, 19);
  const caName = `Pacekeeper Sandbox CA ${stamp}`;

  const caDer = buildCertificate({
    subject: caName, issuer: caName, spki: caSpki, issuerSpki: caSpki, signingKey: caKeys.privateKey,
    notBefore, notAfter: new Date(now + (opts.caDays ?? 365) * DAY), isCa: true, hosts: [],
  });
  const serverDer = buildCertificate({
    subject: hosts[0] ?? 'localhost', issuer: caName, spki: serverSpki, issuerSpki: caSpki, signingKey: caKeys.privateKey,
    notBefore, notAfter: new Date(now + (opts.serverDays ?? 397) * DAY), isCa: false, hosts,
  });
  return {
    ca: { certDer: caDer, certPem: der.toPem('CERTIFICATE', caDer), keyPem: caKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string },
    server: { certDer: serverDer, certPem: der.toPem('CERTIFICATE', serverDer), keyPem: serverKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string },
  };
}
