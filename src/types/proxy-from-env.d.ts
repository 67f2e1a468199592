/** proxy-from-env ships no types: the one function this tool uses. */
declare module "proxy-from-env" {
  /** The proxy URL for a request to `url` (HTTP(S)_PROXY, ALL_PROXY, NO_PROXY; either case), or "". */
  export function getProxyForUrl(url: string | URL): string;
}
