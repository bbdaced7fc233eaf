/**
 * How the certificates read from one field or file become what every certificate input yields
 * (`FoundCertificate`, `src/contract/values/certs.ts`: the decoded facts of one certificate,
 * never the PEM, and where it was found, or why it could not be read).
 */
import type { ResourceRef } from '../../../contract/resource.js';
import type { CertificatesRead } from '../../../k8s/x509.js';
import type { FoundCertificate } from '../../../contract/values/certs.js';

export type Context = Pick<FoundCertificate, 'source' | 'kubeadmName' | 'kubeconfigUser' | 'certManagerCertificate' | 'injectCaFrom'>;

/**
 * How the certificates of one field take their role: `presented` (the first is the leaf, later
 * CA certificates are its chain), `trust` (all are CAs), `own` (each by its basicConstraints).
 */
export type Layout = 'presented' | 'trust' | 'own';

/**
 * The found certificates of one field or file. `kubeadmName` and `kubeconfigUser` name the
 * first certificate only: the ones after it are its chain.
 */
export function found(read: CertificatesRead, ctx: Context, layout: Layout, at: (i: number) => ResourceRef): FoundCertificate[] {
  return read.certificates.map((r) => {
    const own = r.index === 0 ? ctx : { ...ctx, kubeadmName: undefined, kubeconfigUser: undefined };
    const base = { resource: at(r.index), ...defined(own) };
    if ('error' in r) return { ...base, role: 'leaf' as const, error: r.error };
    const role =
      layout === 'trust' || (layout === 'presented' ? r.index > 0 && r.cert.isCA : r.cert.isCA) ? ('ca' as const) : ('leaf' as const);
    return { ...base, role, cert: r.cert };
  });
}

/** `o` without its properties that are `undefined` (so they do not appear in the report). */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `#n` for the n-th certificate of a file or kubeconfig field, nothing for the first. */
export const nth = (i: number): string => (i > 0 ? `#${i}` : '');
