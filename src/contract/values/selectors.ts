/**
 * Label selectors: as written in specs (`metav1.LabelSelector`) and parsed into requirements
 * (`src/k8s/selectors.ts` parses and matches them).
 */

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** A parsed selector: every requirement must hold. */
export type Selector = Requirement[];

/** `metav1.LabelSelector` as found in specs (PDB `spec.selector`, Deployment `spec.selector`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
