/**
 * Listings end by themselves: an endpoint that pages forever (the same continuation token again,
 * or empty pages that always say "more") is an error naming the listing, never a run that hangs.
 */
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, describe, expect, it } from "vitest";
import { createClients } from "../../src/aws/clients.js";
import { listObjects } from "../../src/aws/s3.js";
import { base, configOf } from "../helpers/configs.js";

const s3 = mockClient(S3Client);
afterAll(() => s3.restore());
const clients = () =>
  createClients(configOf(base), {
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });

describe("S3 listings that never end", () => {
  it("the same continuation token twice: stopped, naming the listing", async () => {
    s3.reset();
    s3.on(ListObjectsV2Command).resolves({
      IsTruncated: true,
      NextContinuationToken: "again",
      Contents: [{ Key: "client-logs/a", Size: 1 }],
    });
    const c = await clients();
    await expect(listObjects(c, "b", "client-logs/")).rejects.toThrow(
      /listing s3:\/\/b\/client-logs\/: the endpoint sent the same continuation token twice/,
    );
    c.destroy();
  });

  it("endless empty pages with fresh tokens: stopped after a bound", async () => {
    s3.reset();
    let n = 0;
    s3.on(ListObjectsV2Command).callsFake(async () => ({
      IsTruncated: true,
      NextContinuationToken: `t${n++}`,
      Contents: [],
    }));
    const c = await clients();
    await expect(listObjects(c, "b", "p/")).rejects.toThrow(/100 empty pages in a row that say there is more/);
    expect(n).toBeLessThanOrEqual(101);
    c.destroy();
  });

  it("a real listing across pages still works", async () => {
    s3.reset();
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: "t1", Contents: [{ Key: "p/a", Size: 1 }] })
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: "t2", Contents: [] })
      .resolvesOnce({ IsTruncated: false, Contents: [{ Key: "p/b", Size: 2 }] });
    const c = await clients();
    const r = await listObjects(c, "b", "p/");
    expect(r.objects.map((o) => o.key)).toEqual(["p/a", "p/b"]);
    c.destroy();
  });
});
