import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { after, test } from 'node:test';
import { CaBundleInvalid } from '../../main/net/errors.ts';
import { findAnchor, loadTrustStore, planCaSources, validateUserBundle, type CaFeatures } from '../../main/net/trust-store.ts';
import { createSandboxPki } from '../../main/sim/tls/certificates.ts';

const dir = mkdtempSync(join(tmpdir(), 'pk-trust-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;
const pki = createSandboxPki();
const caPath = join(dir, 'corp-root.pem');
writeFileSync(caPath, pki.ca.certPem);

test('plan: getCACertificates when the runtime has it (Node >= 22.15), the documented fallback otherwise', () => {
  const modern: CaFeatures = { getCACertificates: () => [], rootCertificates: [], platform: 'linux' };
  assert.deepEqual(planCaSources(modern, true), { default: 'getCACertificates', system: 'getCACertificates', notes: [] });
  assert.equal(planCaSources(modern, false).system, 'none');
  const old: CaFeatures = { rootCertificates: [], platform: 'linux' };
  const p = planCaSources(old, true);
  assert.equal(p.default, 'rootCertificates+extra-file');
  assert.equal(p.system, 'linux-bundle-file');
  assert.match(p.notes[0] ?? '', /Node < 22\.15/);
  const win = planCaSources({ rootCertificates: [], platform: 'win32' }, true);
  assert.equal(win.system, 'none');
  assert.match(win.notes.join(' '), /OS trust store not readable on win32/);
});

test('user bundles are added to the default roots, never replacing them, and labelled by file', async () => {
  const store = await loadTrustStore({ caBundlePaths: [caPath], useSystemCa: true, nowMs: Date.now() });
  assert.ok((store.summary.counts.bundled ?? 0) > 50, 'the public roots are still there');
  assert.equal(store.summary.counts.user, 1);
  const corp = store.anchors.find((a) => a.source === `user:${caPath}`);
  assert.ok(corp);
  assert.ok(store.ca.includes(corp.x509.toString()));
  // Which source vouches for a chain: the leaf's issuer is the corporate root.
  const leaf = new X509Certificate(pki.server.certPem);
  assert.equal(findAnchor(store, leaf)?.source, `user:${caPath}`);
  assert.equal(findAnchor(store, new X509Certificate(createSandboxPki().server.certPem)), undefined);
});

test('the fallback path reads NODE_EXTRA_CA_CERTS itself and labels it', async () => {
  const extra = createSandboxPki();
  const extraPath = join(dir, 'extra.pem');
  writeFileSync(extraPath, extra.ca.certPem);
  const features: CaFeatures = { rootCertificates: tls.rootCertificates, platform: 'darwin' };
  const store = await loadTrustStore({ caBundlePaths: [], useSystemCa: true, nowMs: Date.now(), env: { NODE_EXTRA_CA_CERTS: extraPath }, features });
  assert.equal(store.summary.counts.extra, 1);
  assert.equal(store.summary.counts.bundled, tls.rootCertificates.length);
  assert.equal(store.summary.counts.system, undefined);
  assert.equal(findAnchor(store, new X509Certificate(extra.server.certPem))?.source, 'extra');
});

test('a missing file, non-PEM content, an expired or a non-CA certificate is a clear CaBundleInvalid', async () => {
  const expect = async (path: string, problem: string, text: RegExp) => {
    await assert.rejects(loadTrustStore({ caBundlePaths: [path], useSystemCa: false, nowMs: Date.now() }), (e: unknown) => {
      assert.ok(e instanceof CaBundleInvalid, String(e));
      assert.equal(e.code, 'CaBundleInvalid');
      assert.equal(e.hop, 'trust-store');
      assert.equal(e.problem, problem);
      assert.match(e.message, text);
      assert.ok(e.message.includes(path));
      assert.ok(e.fix.length > 10);
      return true;
    });
  };
  await expect(join(dir, 'nope.pem'), 'missing', /file not found/);
  const der = join(dir, 'root.der');
  writeFileSync(der, pki.ca.certDer);
  await expect(der, 'not-pem', /no PEM certificate/);
  const empty = join(dir, 'empty.pem');
  writeFileSync(empty, '');
  await expect(empty, 'not-pem', /empty/);
  const expired = createSandboxPki({ nowMs: Date.now() - 400 * DAY, caDays: 30 });
  const expiredPath = join(dir, 'expired.pem');
  writeFileSync(expiredPath, expired.ca.certPem);
  await expect(expiredPath, 'expired', /expired on/);
  const leafPath = join(dir, 'leaf.pem');
  writeFileSync(leafPath, pki.server.certPem);
  await expect(leafPath, 'not-a-ca', /not a CA certificate/);
  const broken = join(dir, 'broken.pem');
  writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  await expect(broken, 'not-pem', /cannot be parsed/);
});

test('validateUserBundle accepts several CAs in one file', () => {
  const two = `${pki.ca.certPem}\n${createSandboxPki().ca.certPem}`;
  assert.equal(validateUserBundle('two.pem', two, Date.now()).length, 2);
});
