import type { Draft, WizardContext } from "../context.js";

/** One question (with its follow-ups): asked in order, and again from the review screen. */
export interface Step {
  id: string;
  label: string;
  run(ctx: WizardContext): Promise<void>;
  /** Review-screen lines: [label, value]. */
  summary(draft: Draft): Array<[string, string]>;
}

/** The draft's nested objects, created on first write. */
export function sub<K extends "bucket" | "logTypes" | "cloudtrail">(draft: Draft, key: K): Record<string, unknown> {
  draft[key] ??= {} as never;
  return draft[key] as unknown as Record<string, unknown>;
}
