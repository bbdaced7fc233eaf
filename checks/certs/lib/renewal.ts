/**
 * How to renew a certificate, from where it was found and what manages it.
 *
 * Sources: kubeadm "Certificate Management with kubeadm" (`kubeadm certs renew <name>`, restart
 * of the control-plane static pods, CAs are not renewed by kubeadm), kubeadm reference
 * `kubeadm certs renew` ("extra attributes such as SANs will be based on the existing
 * file/certificates"), "Manual Rotation of CA Certificates", kubeadm troubleshooting "Kubelet
 * client certificate rotation fails", cert-manager `cmctl renew`, and `kubectl create secret tls`.
 */
import { KUBEADM_CAS } from '../../../src/k8s/kubeadm-pki.js';
import type { FoundCertificate } from '../../../src/contract/values/certs.js';
import type { Subject } from './inventory.js';

export const CA_ROTATION_URL = 'https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/';
export const KUBEADM_CERTS_URL = 'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/';
export const KUBELET_CERT_URL =
  'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/troubleshooting-kubeadm/#kubelet-client-cert';

/** A kubelet's client certificate (`CN=system:node:<node>`, `O=system:nodes`). */
export function isKubeletClient(s: Subject): boolean {
  return (s.cert.commonName ?? '').startsWith('system:node:') && s.cert.organizations.includes('system:nodes');
}

function objectName(f: FoundCertificate): { kind: string; namespace?: string; name: string; field?: string } | undefined {
  return 'file' in f.resource ? undefined : f.resource;
}

/** The commands that renew or replace a certificate, for a finding's remediation. */
export function renewal(s: Subject): string {
  const f = s.at;
  const name = s.kubeadmName;
  if (name && KUBEADM_CAS.has(name)) {
    return (
      `kubeadm does not renew CAs. Rotate the "${name}" CA by hand (${CA_ROTATION_URL}): add the new ` +
      `CA next to the old one in every trust bundle, re-issue every certificate it signed (\`kubeadm ` +
      `certs renew all\` once the new CA is in place), then remove the old CA.`
    );
  }
  if (name) {
    const copy =
      name === 'admin.conf' || name === 'super-admin.conf'
        ? ` and copy /etc/kubernetes/${name} again wherever it is used (e.g. ~/.kube/config)`
        : '';
    return (
      `On every control-plane node run \`kubeadm certs renew ${name}\` (kubeadm 1.19 and older: ` +
      `\`kubeadm alpha certs renew ${name}\`), then restart the control-plane static pods (move their ` +
      `manifests out of /etc/kubernetes/manifests and back)${copy}. \`kubeadm certs check-expiration\` ` +
      `shows the new date (${KUBEADM_CERTS_URL}).`
    );
  }
  if (isKubeletClient(s)) {
    return (
      `The kubelet renews its client certificate itself only when it reads it from ` +
      `/var/lib/kubelet/pki/kubelet-client-current.pem with rotation on (\`rotateCertificates: ` +
      `true\`). For an expired or embedded certificate, follow "Kubelet client certificate rotation ` +
      `fails" (${KUBELET_CERT_URL}): generate a new kubelet.conf with \`kubeadm kubeconfig user --org ` +
      `system:nodes --client-name ${s.cert.commonName}\` on a control-plane node, install it on the ` +
      `node, restart the kubelet, then point kubelet.conf at kubelet-client-current.pem.`
    );
  }
  const obj = objectName(f);
  switch (f.source) {
    case 'tls-secret':
      if (f.certManagerCertificate) {
        return (
          `cert-manager Certificate ${obj?.namespace}/${f.certManagerCertificate} writes this Secret: find ` +
          `out why it was not renewed (\`kubectl describe certificate ${f.certManagerCertificate} -n ` +
          `${obj?.namespace}\`, \`kubectl get certificaterequests -n ${obj?.namespace}\`) and renew it ` +
          `with \`cmctl renew ${f.certManagerCertificate} -n ${obj?.namespace}\`.`
        );
      }
      return (
        `Re-issue the certificate and replace the Secret: \`kubectl create secret tls ${obj?.name} -n ` +
        `${obj?.namespace} --cert=<new.crt> --key=<new.key> --dry-run=client -o yaml | kubectl apply -f ` +
        `-\`, then restart the workloads that do not reload it.`
      );
    case 'webhook-ca-bundle':
    case 'apiservice-ca-bundle':
    case 'crd-ca-bundle':
      if (f.injectCaFrom)
        return (
          `cert-manager's cainjector fills this caBundle from ${f.injectCaFrom}: renew that certificate ` +
          `(\`cmctl renew\`), and the cainjector updates the bundle.`
        );
      return (
        `Re-issue the CA and serving certificate of the ${obj?.kind} ${obj?.name} backend and put the ` +
        `new CA (base64 PEM) in ${obj?.field?.replace(/#\d+$/, '')}, usually by upgrading the chart or ` +
        `operator that installed it.`
      );
    case 'apiserver-client-ca':
    case 'apiserver-requestheader-ca':
      return (
        `This is a CA the API server trusts for client certificates (kubeadm: pki/ca.crt, ` +
        `pki/front-proxy-ca.crt). Rotate it by hand (${CA_ROTATION_URL}); on managed clusters the ` +
        `provider rotates it.`
      );
    case 'apiserver-serving':
      return (
        `The API server's serving certificate: on kubeadm clusters run \`kubeadm certs renew apiserver\` ` +
        `on every control-plane node and restart kube-apiserver; on managed clusters the provider renews ` +
        `it.`
      );
    case 'user-kubeconfig':
      return s.role === 'ca'
        ? `The CA your kubeconfig trusts: fetch the cluster's current CA (e.g. \`kubectl config ` +
            `set-cluster <name> --certificate-authority=<ca.crt> --embed-certs\`) once it has been rotated.`
        : `The client certificate of your kubeconfig (user ${f.kubeconfigUser}): get a new one from the ` +
            `cluster admin (kubeadm: \`kubeadm kubeconfig user --client-name ` +
            `${s.cert.commonName ?? '<name>'}\`, or a CertificateSigningRequest); if it is a copy of ` +
            `admin.conf, run \`kubeadm certs renew admin.conf\` and copy it again.`;
    default:
      return s.role === 'ca'
        ? `Rotate this CA (${CA_ROTATION_URL}): issue a new one, add it to every bundle that trusts the ` +
            `old one, re-issue the certificates it signed, then remove the old one.`
        : `Re-issue ${'file' in f.resource ? f.resource.file : 'the certificate'} with the CA that signed ` +
            `it (same subject and SANs) and restart the component that uses it.`;
  }
}
