import { z } from "zod";
import { errorsOf, type Problem } from "./rules.js";

/** A string field whose AWS rule lives in rules.ts; only errors block parsing. */
export function ruled(check: (value: string) => Problem[]) {
  return z.string().superRefine((value, ctx) => {
    for (const p of errorsOf(check(value))) ctx.addIssue({ code: "custom", message: p.rule, input: value });
  });
}
