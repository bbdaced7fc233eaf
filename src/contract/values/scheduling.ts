/**
 * Scheduling terms of a pod as the `pods` input keeps them (tolerations, node affinity, pod
 * anti-affinity); `src/k8s/scheduling.ts` evaluates them.
 */
import type { Selector } from './selectors.js';

/** A toleration as in `spec.tolerations` (`operator` defaults to `Equal`). */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** A `NodeSelectorRequirement` (node affinity, PV node affinity). */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** A `NodeSelectorTerm`: all its requirements must hold; terms of a list are ORed. */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
  matchFields: NodeSelectorRequirement[];
}

/** A required pod (anti-)affinity term, its selectors parsed (`null`: matches nothing). */
export interface PodAffinityTerm {
  topologyKey: string;
  selector: Selector | null;
  /** Namespaces named by the term; with neither these nor `namespaceSelector`: the pod's own. */
  namespaces: string[];
  /** Namespaces by label; `[]` selects every namespace. Absent when the term has none. */
  namespaceSelector?: Selector;
}
