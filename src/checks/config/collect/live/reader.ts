/** One read of the live collector: counted for progress, and turned into a fact by `attempt`. */
import { attempt, type Fact } from "../../../../engine/fact.js";
import type { PolicyDocument } from "../../../../iam/policies/types.js";

/** Called as reads finish, for a progress line. */
export type Progress = (done: number, total: number) => void;

export function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  // HEAD requests have no error body: the SDK names the error after the status code.
  const named = err.name && err.name !== "Error" && !/^\d+$/.test(err.name);
  const name = named ? err.name! : status ? `HTTP ${status}` : "Error";
  const hint = !named && status === 403 ? " (access denied, or the bucket belongs to another account)" : "";
  const message = err.message && err.message !== err.name && err.message !== "UnknownError" ? `: ${err.message}` : "";
  return `${name}${message}${hint}`;
}

export const parsePolicy = (text: string | undefined): PolicyDocument =>
  JSON.parse(decodeURIComponent(text ?? "")) as PolicyDocument;

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
