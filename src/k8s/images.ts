/**
 * Container image references (`registry/repository:tag@digest`), as the Docker reference
 * grammar defines them (distribution/reference `reference.go`): the tag is what follows the
 * last `:` of the last path component, and a `@sha256:…` digest may follow it.
 */

/**
 * The tag of an image reference, or undefined when it has none (a bare name means
 * `latest` to a runtime, but says nothing about the version).
 *
 * `registry.k8s.io/kube-apiserver:v1.30.2` → `v1.30.2`;
 * `localhost:5000/kube-proxy:v1.29.4-eks-1-29-3@sha256:…` → `v1.29.4-eks-1-29-3`;
 * `registry.k8s.io/kube-proxy@sha256:…` → undefined; `localhost:5000/etcd` → undefined.
 */
export function imageTag(image: string): string | undefined {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  if (colon < 0) return undefined;
  const tag = lastPart.slice(colon + 1);
  return tag === '' ? undefined : tag;
}
