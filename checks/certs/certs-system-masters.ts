/**
 * Client certificates in the `system:masters` group outside kubeadm's `admin.conf` and
 * `super-admin.conf`.
 *
 * The API server grants `system:masters` every permission before RBAC is consulted
 * (`kubernetes/kubernetes:pkg/registry/rbac/escalation_check.go`), and a client certificate
 * cannot be revoked: until it expires, only rotating the CA that signed it shuts it out
 * (kubernetes/kubeadm#2414, kubernetes/kubernetes#98092). kubeadm itself moved
 * `admin.conf` to `O=kubeadm:cluster-admins` and kept `system:masters` only in
 * `super-admin.conf` (1.29, KEP 4214), and dropped it from `apiserver-kubelet-client`
 * (kubernetes/kubernetes#121837) and `apiserver-etcd-client` (#120521).
 *
 * - `system-masters-client-cert` (high): a certificate presented as a client (a leaf with the
 *   `clientAuth` extended key usage, or none) with `O=system:masters`, issued by a CA the API
 *   server trusts for client certificates: the `client-ca-file` it publishes in
 *   `kube-system/extension-apiserver-authentication`, else kubeadm's `ca` of the PKI. When
 *   neither is known, every such certificate is reported (evidence `issuerTrusted: "unknown"`).
 *   Certificates signed by another CA (kubeadm's `etcd-ca`) do not authenticate to the API
 *   server and are not reported.
 * - `kubeadm-kubelet-client-default` (info): the same, for kubeadm's own
 *   `apiserver-kubelet-client` on a control plane older than 1.29 (the `version` input): kubeadm
 *   issues it in `system:masters` up to 1.28, so it is the upgrade to 1.29 (and re-creating the
 *   certificate then: renewal keeps the subject) that removes it; reported as high, it would
 *   block the very upgrade that fixes it. On 1.29 and later it is `system-masters-client-cert`;
 *   when the control plane's version is not known, it is an unknown (not judged).
 *
 * `evaluated` counts the distinct client certificates examined.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { SUPERUSER_KUBECONFIGS } from '../../src/k8s/kubeadm-pki.js';
import { groupBy } from '../../src/k8s/objects.js';
import { parseKube1 } from '../../src/k8s/skew.js';
import { mayHaveIssued } from '../../src/k8s/x509.js';
import {
  ALL_CERT_INPUTS,
  CLUSTER_CERT_SOURCES,
  allCertificates,
  certificateEvidence,
  describe,
  where,
  type Subject,
} from './lib/inventory.js';
import { CA_ROTATION_URL } from './lib/renewal.js';

const MASTERS = 'system:masters';
/** The first kubeadm minor that issues `apiserver-kubelet-client` in `kubeadm:cluster-admins` (kubernetes/kubernetes#121837). */
const KUBEADM_KUBELET_CLIENT_FIXED_MINOR = 29;

function isClientCertificate(s: Subject): boolean {
  const eku = s.cert.extKeyUsage;
  return s.role === 'leaf' && !s.cert.isCA && (eku.length === 0 || eku.includes('clientAuth') || eku.includes('anyExtendedKeyUsage'));
}

function remediation(s: Subject): string {
  if (s.kubeadmName === 'apiserver-kubelet-client') {
    return (
      'kubeadm 1.29 and later issue this certificate with O=kubeadm:cluster-admins ' +
      '(kubernetes/kubernetes#121837); `kubeadm certs renew` keeps the old subject, so re-create it: ' +
      'on each control-plane node, with kubeadm ≥ 1.29 and the kubeadm:cluster-admins ' +
      'ClusterRoleBinding in place, move /etc/kubernetes/pki/apiserver-kubelet-client.{crt,key} aside, ' +
      'run `kubeadm init phase certs apiserver-kubelet-client --config <kubeadm config>` and restart ' +
      'kube-apiserver.'
    );
  }
  if (s.at.source === 'user-kubeconfig') {
    return (
      `Your kubeconfig authenticates as ${MASTERS}, which RBAC cannot restrict or revoke. Use a ` +
      `personal identity bound by RBAC instead (kubeadm ≥ 1.29: admin.conf is in ` +
      `kubeadm:cluster-admins; \`kubeadm kubeconfig user --client-name <you>\` plus a RoleBinding), ` +
      `and keep super-admin.conf for break-glass use.`
    );
  }
  return (
    `Stop using this certificate: issue the component or person a certificate whose groups are bound ` +
    `by RBAC (e.g. O=kubeadm:cluster-admins bound to cluster-admin, or a narrower role) and delete ` +
    `this one with its key. It stays valid until ${s.cert.notAfter.slice(0, 10)}; only rotating the ` +
    `CA that signed it (${CA_ROTATION_URL}) revokes it sooner.`
  );
}

export default defineCheck({
  id: 'certs-system-masters',
  family: 'certs',
  title: 'No client certificate outside admin.conf/super-admin.conf is in the system:masters group',
  summary:
    'client certificates in `system:masters` outside `admin.conf`/`super-admin.conf`, signed by a CA the API server ' +
    "trusts (high): they bypass RBAC and cannot be revoked. kubeadm's own `apiserver-kubelet-client` on a control " +
    'plane older than 1.29 is info: kubeadm issues it so until 1.29, and the upgrade (then re-creating it) removes ' +
    'it',
  rationale:
    'Members of system:masters bypass RBAC entirely, and a client certificate cannot be revoked: ' +
    'whoever holds a copy of such a certificate and its key is cluster-admin until it expires or the ' +
    'CA is rotated. kubeadm keeps this group for super-admin.conf only.',
  remediation:
    'Replace the certificate with one whose group is bound by RBAC (kubeadm:cluster-admins or ' +
    'narrower), delete it with its key, and rotate the CA if a copy may have leaked; see each ' +
    'finding.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege',
    'https://kubernetes.io/docs/setup/best-practices/certificates/',
    'https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/kubeadm/4214-separate-super-user-kubeconfig',
    'https://github.com/kubernetes/kubernetes/pull/121837',
    CA_ROTATION_URL,
  ],
  defaultSeverity: 'high',
  rules: {
    'system-masters-client-cert': { title: 'Client certificate in system:masters outside admin.conf/super-admin.conf', severity: 'high' },
    'kubeadm-kubelet-client-default': {
      title: "kubeadm's apiserver-kubelet-client is in system:masters, as kubeadm issues it before 1.29",
      severity: 'info',
    },
  },
  requires: [],
  optional: [...ALL_CERT_INPUTS, 'version'],
  requiresSomeOf: [CLUSTER_CERT_SOURCES],
  defaultOptions: {},
  run(inputs) {
    const { subjects, unknowns } = allCertificates(inputs);
    const version = inputs.optional.version;
    const cluster = version.status === 'ok' ? parseKube1(version.value.gitVersion) : undefined;
    const beforeFix = cluster !== undefined && cluster.minor < KUBEADM_KUBELET_CLIENT_FIXED_MINOR;
    const own = [...unknowns];
    const published = subjects.filter((s) => s.locations.some((l) => l.source === 'apiserver-client-ca'));
    const clientCas = published.length > 0 ? published : subjects.filter((s) => s.kubeadmName === 'ca');
    const trustSource =
      published.length > 0
        ? 'kube-system/extension-apiserver-authentication client-ca-file'
        : clientCas.length > 0
          ? 'kubeadm ca (pki/ca.crt)'
          : undefined;
    const clientCasBySubject = groupBy(clientCas, (ca) => ca.cert.subject);
    const findings: RawFinding[] = [];
    let evaluated = 0;
    for (const s of subjects) {
      if (!isClientCertificate(s)) continue;
      evaluated++;
      if (!s.cert.organizations.includes(MASTERS)) continue;
      if (s.locations.some((l) => l.kubeadmName !== undefined && SUPERUSER_KUBECONFIGS.has(l.kubeadmName))) continue;
      const issuer = clientCasBySubject.get(s.cert.issuer)?.find((ca) => mayHaveIssued(ca.cert, s.cert));
      if (trustSource && !issuer) continue;
      const kubeletClient = s.kubeadmName === 'apiserver-kubelet-client';
      if (kubeletClient && !cluster) {
        own.push({
          resource: s.at.resource,
          reason:
            `${describe(s)} is in ${MASTERS}; kubeadm issues it so before 1.29, but the control plane's ` +
            `version is not known (input version is ${version.status}), so whether this is kubeadm's default ` +
            `or a left-over is not judged`,
        });
        continue;
      }
      const kubeadmDefault = beforeFix && kubeletClient;
      findings.push({
        rule: kubeadmDefault ? 'kubeadm-kubelet-client-default' : 'system-masters-client-cert',
        resource: s.at.resource,
        message: kubeadmDefault
          ? `${describe(s)} is in ${MASTERS}, as kubeadm issues it before 1.29 (the control plane runs ` +
            `${cluster.raw}); kubeadm 1.29 and later issue it in kubeadm:cluster-admins: re-create it once ` +
            `the control plane is on 1.29 (renewal keeps the old subject).`
          : `${describe(s)} is a client certificate in ` +
            `${MASTERS}${issuer ? `, signed by the API server's client CA ${issuer.cert.subject}` : ''}: it ` +
            `bypasses RBAC and cannot be revoked until ${s.cert.notAfter.slice(0, 10)}.`,
        evidence: {
          clusterVersion: cluster?.raw ?? 'unknown',
          ...certificateEvidence(s),
          organizations: s.cert.organizations,
          extKeyUsage: s.cert.extKeyUsage,
          issuerTrusted: issuer ? true : 'unknown',
          ...(issuer ? { issuerFoundIn: where(issuer.at), clientCaSource: trustSource } : {}),
        },
        remediation: remediation(s),
      });
    }
    return {
      evaluated,
      findings,
      unknowns: own,
      ...(evaluated === 0 ? { notApplicable: 'no client certificate was found' } : {}),
    };
  },
});
