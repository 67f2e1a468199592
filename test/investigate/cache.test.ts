/**
 * The object cache: what one run puts, the next run reads, byte for byte; what an interrupted run
 * wrote, or a damaged pack, is never answered (the object is fetched again); an object rewritten in
 * S3 (new size or time) is not the cached one; two runs at once both keep what they fetched.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ObjectCache } from "../../src/investigate/cache.js";

const at = new Date("2026-11-30T08:00:00Z");
const obj = (key: string, size = 10) => ({ bucket: "acme-logs", key, size, lastModified: at });
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-cache-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the object cache", () => {
  it("a later run reads what an earlier one put, byte for byte; other versions are not it", async () => {
    const first = new ObjectCache(dir);
    // More than one batch: a few MiB are written at once.
    const big = Buffer.alloc(5 * 2 ** 20, 7);
    await first.put(obj("a"), Buffer.from("alpha"));
    await first.put(obj("big", big.length), big);
    await first.put(obj("b"), Buffer.from("bravo"));
    expect(await first.get(obj("a"))).toBeUndefined(); // readable once the run closes
    await first.close();
    const second = new ObjectCache(dir);
    expect((await second.get(obj("a")))?.toString()).toBe("alpha");
    expect((await second.get(obj("b")))?.toString()).toBe("bravo");
    expect((await second.get(obj("big", big.length)))?.equals(big)).toBe(true);
    expect(await second.get(obj("a", 11))).toBeUndefined();
    expect(await second.get({ ...obj("a"), lastModified: new Date("2026-11-30T09:00:00Z") })).toBeUndefined();
    await second.close();
    // One pack and its index, private to the user; a run that put nothing leaves nothing.
    expect((await readdir(dir)).sort()).toEqual([expect.stringMatching(/\.idx$/), expect.stringMatching(/\.pack$/)]);
  });

  it("an interrupted run (a pack without its index) and a damaged pack are never answered", async () => {
    const run = new ObjectCache(dir);
    await run.put(obj("a"), Buffer.from("alpha"));
    await run.put(obj("b"), Buffer.from("bravo"));
    await run.close();
    const pack = (await readdir(dir)).find((f) => f.endsWith(".pack"))!;
    // Damage one object's bytes in place: its CRC no longer matches.
    const bytes = await readFile(join(dir, pack));
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(join(dir, pack), bytes);
    // An interrupted run: a pack whose index was never written.
    await writeFile(join(dir, "9999-interrupted.pack"), "charlie");
    const next = new ObjectCache(dir);
    expect(await next.get(obj("a"))).toBeUndefined();
    expect((await next.get(obj("b")))?.toString()).toBe("bravo");
    expect(await next.get(obj("c"))).toBeUndefined();
  });

  it("two runs at once each keep what they fetched", async () => {
    const one = new ObjectCache(dir);
    const two = new ObjectCache(dir);
    await one.put(obj("a"), Buffer.from("alpha"));
    await two.put(obj("b"), Buffer.from("bravo"));
    await Promise.all([one.close(), two.close()]);
    const next = new ObjectCache(dir);
    expect((await next.get(obj("a")))?.toString()).toBe("alpha");
    expect((await next.get(obj("b")))?.toString()).toBe("bravo");
  });

  it("a pack that cannot be written costs the cache, said by close(), never the bytes in hand", async () => {
    const run = new ObjectCache(dir);
    await rm(dir, { recursive: true, force: true }); // the folder is gone under it
    await run.put(obj("a"), Buffer.from("alpha"));
    await expect(run.close()).rejects.toThrow(/ENOENT/);
  });
});
