// A loopback HTTP proxy that adds a fixed delay before forwarding each request: the latency of a
// real AWS endpoint in front of the local emulator. Run as its own process (the bench measures
// with spawnSync, which would block a proxy in its own event loop). Prints its port on stdout.
//   node bench/latency-proxy.js http://127.0.0.1:PORT 50
import { createServer, request } from "node:http";

const [target, ms] = [new URL(process.argv[2]), Number(process.argv[3] ?? 50)];
const server = createServer((req, res) => {
  setTimeout(() => {
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
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
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
