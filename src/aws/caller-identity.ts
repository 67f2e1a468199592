/**
 * The account the current credentials belong to, for prefilling the wizard.
 * Bounded by a short timeout and never throws: no credentials means no prefill.
 */

import { cjs } from "../util/cjs.js";
import { BoundedHttpHandler } from "./bounded-handler.js";

export interface CallerIdentityOptions {
  profile?: string;
  region?: string;
  timeoutMs?: number;
}

export async function callerAccountId(opts: CallerIdentityOptions = {}): Promise<string | undefined> {
  const timeoutMs = opts.timeoutMs ?? 1500;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
    timer.unref();
  });
  const lookup = (async () => {
    const { STSClient, GetCallerIdentityCommand } = cjs(await import("@aws-sdk/client-sts"));
    const client = new STSClient({
      region: opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1",
      profile: opts.profile,
      maxAttempts: 1,
      // Bounded, and through HTTPS_PROXY / NO_PROXY like every other call.
      requestHandler: await BoundedHttpHandler.create({ connectionTimeout: 2_000, requestTimeout: timeoutMs }),
    });
    try {
      const res = await client.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(timeoutMs) });
      return res.Account;
    } finally {
      client.destroy();
    }
  })().catch(() => undefined);
  try {
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
