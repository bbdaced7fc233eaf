/**
 * Field helpers the backup inputs share.
 */

/** `null` read as absent. */
export const opt = <T>(v: T | null | undefined): T | undefined => v ?? undefined;
