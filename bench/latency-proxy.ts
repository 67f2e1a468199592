/**
 * A loopback HTTP proxy that waits a fixed time before forwarding each request: the round trip of a
 * real AWS endpoint in front of the local emulator. Clients keep their connections to it alive, as
 * they would to AWS. Its own process (so the bench's timing never blocks it); prints its port.
 *   node dist/bench/latency-proxy.js http://127.0.0.1:PORT 50
 */
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

const target = new URL(process.argv[2] ?? "");
const ms = Number(process.argv[3] ?? 50);
const upstream = new Agent({ keepAlive: true });
const server = createServer((req, res) => {
  setTimeout(() => {
    const up = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: upstream,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  }, ms);
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
