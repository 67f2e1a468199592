/** The wizard's account prefill: STS when credentials work, a quick quiet `undefined` when nothing answers. */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAccountId } from "../../src/aws/caller-identity.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";

let emulator: Emulator;
const saved = { ...process.env };
beforeAll(async () => {
  emulator = await startEmulator();
}, 60_000);
afterAll(async () => {
  process.env = saved;
  await emulator?.stop();
});

describe("account prefill", () => {
  it("reads the account from STS when credentials are present", async () => {
    Object.assign(process.env, emulator.env);
    expect(await callerAccountId({ timeoutMs: 5000 })).toBe("123456789012");
  });

  it("gives up within the timeout when STS does not answer, without throwing", async () => {
    // A server that accepts connections and never replies.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    Object.assign(process.env, emulator.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
    });
    const t0 = Date.now();
    expect(await callerAccountId({ timeoutMs: 300 })).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(2000);
    silent.close();
  });
});
