/**
 * The normalized value of every input, by input key.
 *
 * Each input module (`src/sources/inputs/*.ts`) adds its keys to this interface by module
 * augmentation, next to its definition:
 *
 * ```ts
 * declare module '../input-types.js' {
 *   interface InputTypes { nodes: NodeInfo[] }
 * }
 * ```
 *
 * A check's `requires`/`optional` lists are typed against these keys, and `run` receives
 * the values with these types.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty here, filled by each input module's augmentation
export interface InputTypes {}

// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- keeps keys strings whatever an augmentation adds
export type InputKey = keyof InputTypes & string;
