/**
 * The default bound on one unanswered AWS read: the AWS CLI's three attempts, each ending at its
 * deadline for the headers and the whole body, so a stalled endpoint turns a read into ERROR
 * within two minutes (issue: 5 attempts x 30 s cost 153 s per read). --aws-timeout moves the
 * deadline; the drip and stall cases run end to end in test/hostile/aws-endpoint.test.ts.
 */
import { describe, expect, it } from "vitest";
import { clientConfig } from "../../src/aws/clients.js";

describe("the default bound on a stalled AWS read", () => {
  it("3 attempts x a 30 s deadline (headers and body): ERROR within 2 minutes, backoff included", async () => {
    const cfg = await clientConfig("us-east-1", {});
    const handler = cfg.requestHandler as unknown as { bounds: { deadlineMs: number } };
    expect(cfg.maxAttempts).toBe(3);
    expect(handler.bounds.deadlineMs).toBe(30_000);
    // 90 s of attempts; the SDK's backoff before a retry of a timeout starts at 100 ms (doubling,
    // with jitter), so the two waits add about a second: well within 2 minutes.
    expect(cfg.maxAttempts * handler.bounds.deadlineMs).toBeLessThanOrEqual(90_000);
    const tighter = await clientConfig("us-east-1", { requestTimeoutMs: 5_000 });
    expect((tighter.requestHandler as unknown as { bounds: { deadlineMs: number } }).bounds.deadlineMs).toBe(5_000);
  });
});
