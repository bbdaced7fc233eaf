/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `129e6`) as numbers.
 * Source: "Resource Management for Pods and Containers" and `k8s.io/apimachinery/pkg/api/resource`
 * (suffixes: binary Ki Mi Gi Ti Pi Ei; decimal n u m k M G T P E; or an `e`/`E` exponent).
 */
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Strings parsed so far: a cluster's pods and nodes repeat a few (`100m`, `128Mi`). At most 4,096 kept. */
const parsed = new Map<string, number | undefined>();

/**
 * Parses a quantity; `undefined` when it is not one. CPU `500m` → 0.5; memory `1Gi` → 1073741824.
 * Each string is parsed once (`parsed`).
 */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  let v = parsed.get(q);
  if (v !== undefined || parsed.has(q)) return v;
  v = parseText(q);
  if (parsed.size >= 4096) parsed.clear();
  parsed.set(q, v);
  return v;
}

function parseText(q: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? '']!;
}
