// A stand-in for Cloudsmith's audit-log API on loopback for the benchmark: N events, newest first,
// generated per page (never held), 500 a page with Link headers. Prints "READY <port>".
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const START = Date.parse("2026-01-01T00:00:00Z");
const eventAt = (i: number) => new Date(START + i * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  const page = Number(url.searchParams.get("page") ?? 1);
  const size = Number(url.searchParams.get("page_size") ?? 500);
  const pages = Math.ceil(TOTAL / size);
  const events: unknown[] = [];
  for (let k = (page - 1) * size; k < Math.min(page * size, TOTAL); k++) {
    const i = TOTAL - 1 - k; // newest first
    events.push({
      uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      event_at: eventAt(i),
      event: "Package.Download",
      actor: "ci-bot",
      actor_kind: "service",
      object: `package-${i % 997}`,
      object_kind: "Package",
      context: { ip: "203.0.113.7", user_agent: "pip/24.0" },
    });
  }
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-pagination-pagetotal": String(pages),
  };
  if (page < pages) headers.link = `<http://127.0.0.1/audit-log/acme/?page=${page + 1}>; rel="next"`;
  res.writeHead(200, headers).end(JSON.stringify(events));
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
