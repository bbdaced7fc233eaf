/**
 * The cover of the HTML/PDF report (the facts under the verdict): who or what was scanned,
 * the report.json digest and, when signed, the signing key.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { htmlView, scannedAs } from '../../src/render/html-view.js';
import type { Report } from '../../src/contract/report.js';
import { sampleReport } from './sample.js';

const sample = await sampleReport();
const withSource = (source: Report['metadata']['source']): Report => ({ ...sample, metadata: { ...sample.metadata, source } });

describe('scannedAs', () => {
  it('names the kubeconfig context and server of a live scan', () => {
    expect(
      scannedAs(withSource({ type: 'live', location: 'https://10.0.0.1:6443', server: 'https://10.0.0.1:6443', context: 'kind-lab' })),
    ).toBe('live, kubeconfig context kind-lab (https://10.0.0.1:6443)');
    expect(scannedAs(withSource({ type: 'live', location: 'https://10.0.0.1:6443' }))).toBe('live, https://10.0.0.1:6443');
  });

  it('names a dump by its digest, and who collected it when the dump says', () => {
    const sha = 'c'.repeat(64);
    expect(scannedAs(withSource({ type: 'dump', location: 'd.tar.gz', sha256: sha, collectedBy: 'kube-preflight 0.1.0 collect' }))).toBe(
      `offline dump sha256:${sha}, collected by kube-preflight 0.1.0 collect`,
    );
    expect(scannedAs(withSource({ type: 'dump', location: 'd.tar.gz', sha256: sha }))).toBe(`offline dump sha256:${sha}`);
    expect(scannedAs(withSource({ type: 'none', location: '' }))).toBe(
      'no cluster (--no-cluster): only the files given on the command line',
    );
  });
});

describe('the cover facts', () => {
  const digest = 'd'.repeat(64);
  const signer = `SHA256:${'e'.repeat(64)}`;

  it('give the scanned identity, the digest, and the signer only when signed', () => {
    const unsigned = htmlView(sample, { print: true, evidence: { reportSha256: digest } }).facts;
    expect(unsigned.slice(-2)).toEqual([
      {
        label: 'Scanned as',
        value: `offline dump sha256:${'0'.repeat(64)}, collected by kubectl, etcdctl and cp (see docs/dump-format.md, "The sample dump")`,
        wide: true,
      },
      { label: 'report.json SHA-256', value: digest, wide: true },
    ]);
    const signed = htmlView(sample, { print: true, evidence: { reportSha256: digest, signer } }).facts;
    expect(signed.at(-1)).toEqual({ label: 'Signed by', value: `key ${signer} (report.json.sig; kube-preflight verify)`, wide: true });
  });

  it('are on the page before the findings, under the one h1', () => {
    const html = renderHtml(sample, { print: true, evidence: { reportSha256: digest, signer } });
    const findings = html.indexOf('id="blocking-title"');
    expect(html.indexOf(`<dd>${digest}</dd>`)).toBeGreaterThan(0);
    expect(html.indexOf(`<dd>${digest}</dd>`)).toBeLessThan(findings);
    expect(html.indexOf(`<dd>key ${signer}`)).toBeGreaterThan(0);
    expect(html.indexOf(`<dd>key ${signer}`)).toBeLessThan(findings);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
  });
});
