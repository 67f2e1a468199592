/** One read of the live collector: counted for progress, and turned into a fact by `attempt`. */
import { describeError } from "../aws/describe-error.js";
import { attempt, type Fact } from "../engine/fact.js";
import type { PolicyDocument } from "../iam/policies/types.js";
import { parsePolicyText } from "../iam/policies/validate.js";

/** Called as reads finish, for a progress line. */
export type Progress = (done: number, total: number) => void;

/** describeError's one line; a bare 403 on HeadBucket may also mean another account owns the bucket. */
export function errorText(e: unknown): string {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  const text = describeError(e);
  return /^\d+$/.test(err.name ?? "") && err.$metadata?.httpStatusCode === 403
    ? `${text} (or the bucket belongs to another account)`
    : text;
}

/** A policy as IAM returns it (URL-encoded JSON), parsed and checked: anything else is not a policy. */
export const parsePolicy = (text: string | undefined, what = "the policy"): PolicyDocument =>
  parsePolicyText(decodeURIComponent(text ?? ""), what);

export class Reader {
  total = 0;
  done = 0;
  constructor(private readonly onProgress?: Progress) {}

  /** Runs one read; errors named in `absentOn` mean "does not exist". */
  async read<T>(call: () => Promise<T>, absentOn: string[] = []): Promise<Fact<T>> {
    this.total++;
    try {
      return await attempt(call, { absentOn, describe: errorText });
    } finally {
      this.done++;
      this.onProgress?.(this.done, this.total);
    }
  }
}
