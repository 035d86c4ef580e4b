/** Hostnames of a page on this machine, as `URL` reads them. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether a WebSocket upgrade with this `Origin` may connect. Browsers send an Origin with every
 * WebSocket and let any page open one to any address (the same-origin policy does not apply), so
 * without this check any web site the developer visits could connect to a local gateway on a
 * known port and identify with the well-known development key. Accepted: no Origin (a process,
 * not a page), a page served from this machine over http(s), and the origins in `allowed` (`'*'`:
 * any). Compared without regard to case, as schemes and host names are.
 */
export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  if (allowed.has('*') || allowed.has(o)) return true;
  let url: URL;
  try {
    url = new URL(o);
  } catch {
    return false;
  }
  // `http://127.0.0.1@evil.example` has the host evil.example: the parsed host decides, not a prefix.
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
}
