/**
 * The proxy settings every CI runner and command-line tool honours, here too: HTTPS_PROXY,
 * HTTP_PROXY and ALL_PROXY (either case) for the URLs of their scheme, NO_PROXY for hosts that go
 * direct, as the AWS CLI and curl read them (`proxy-from-env` decides, per request). An https
 * target goes through a CONNECT tunnel (the proxy sees the host, never the request or the key);
 * an http one (an emulator endpoint) is sent to the proxy in absolute form. Credentials in a
 * proxy URL are held as secrets, so no error prints them.
 */
import * as http from "node:http";
import * as https from "node:https";
import { holdSecret } from "./secrets.js";

const VARIABLES = ["https_proxy", "http_proxy", "all_proxy"];

/** Whether any proxy variable is set: without one, the default agents are used as they are. */
export const proxyConfigured = (): boolean =>
  VARIABLES.some((v) => (process.env[v] ?? process.env[v.toUpperCase()] ?? "").trim() !== "");

export interface ProxyAgents {
  http: http.Agent;
  https: https.Agent;
}

let agents: Promise<ProxyAgents | undefined> | undefined;

/** One pair of agents for the process, or undefined when no proxy is configured. */
export function envProxyAgents(): Promise<ProxyAgents | undefined> {
  agents ??= build();
  return agents;
}

async function build(): Promise<ProxyAgents | undefined> {
  if (!proxyConfigured()) return undefined;
  for (const v of VARIABLES) {
    const raw = process.env[v] ?? process.env[v.toUpperCase()];
    if (raw && URL.canParse(raw)) {
      const u = new URL(raw);
      if (u.password) holdSecret(decodeURIComponent(u.password));
    }
  }
  const [{ Agent }, { getProxyForUrl }, { HttpsProxyAgent }, { HttpProxyAgent }] = await Promise.all([
    import("agent-base"),
    import("proxy-from-env"),
    import("https-proxy-agent"),
    import("http-proxy-agent"),
  ]);

  /** Picks, for each request, the direct agent or the proxy's, by the target URL. */
  class EnvProxyAgent extends Agent {
    private readonly direct: http.Agent;
    private readonly viaProxy = new Map<string, http.Agent>();

    constructor(private readonly secure: boolean) {
      super({ keepAlive: true });
      this.protocol = secure ? "https:" : "http:";
      this.direct = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    }

    connect(req: http.ClientRequest, opts: { host?: string | null; port?: number | null }): http.Agent {
      const scheme = this.secure ? "https" : "http";
      const host = (opts.host ?? "localhost").includes(":") ? `[${opts.host}]` : opts.host;
      const proxy: string = getProxyForUrl(`${scheme}://${host}:${opts.port ?? (this.secure ? 443 : 80)}${req.path}`);
      if (!proxy) return this.direct;
      let agent = this.viaProxy.get(proxy);
      if (!agent) {
        agent = this.secure
          ? new HttpsProxyAgent(new URL(proxy), { keepAlive: true })
          : new HttpProxyAgent(new URL(proxy));
        this.viaProxy.set(proxy, agent);
      }
      return agent;
    }

    override destroy(): void {
      this.direct.destroy();
      for (const a of this.viaProxy.values()) a.destroy();
      super.destroy();
    }
  }
  return {
    http: new EnvProxyAgent(false) as unknown as http.Agent,
    https: new EnvProxyAgent(true) as unknown as https.Agent,
  };
}
