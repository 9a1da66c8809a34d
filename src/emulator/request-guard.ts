/**
 * Which requests the emulator answers at all (E-42). A browser page can reach
 * a loopback port; with DNS rebinding its own domain can even resolve to
 * 127.0.0.1, and the browser then sends `Host: evil.example`. So, as local
 * development servers do (webpack-dev-server's allowedHosts, Jupyter's
 * allow_remote_access), an emulator listening on loopback answers only
 * requests whose `Host` is a loopback name, and its admin API refuses requests
 * a page of another origin sends (`Origin` names a host other than the one
 * asked). See https://en.wikipedia.org/wiki/DNS_rebinding.
 */

/** Host names that always mean this machine. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackName(name: string): boolean {
  const n = name.toLowerCase();
  return LOOPBACK_NAMES.has(n) || n.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(n);
}

/** `host:port`, `[v6]:port` or a bare host → the host part, lower case, without brackets. */
export function hostOfHeader(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(1, end);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

export interface RequestOrigin {
  host: string | undefined;
  origin: string | undefined;
  /** The interface the emulator listens on (`--host`). */
  listenHost: string;
  admin: boolean;
}

/** Why the request is refused, or undefined when it may be answered. */
export function requestOriginProblem(r: RequestOrigin): string | undefined {
  const listensOnLoopback = isLoopbackName(r.listenHost);
  const host = r.host === undefined ? undefined : hostOfHeader(r.host);
  if (listensOnLoopback && (host === undefined || !isLoopbackName(host))) {
    return (
      `the emulator listens on loopback and answers only requests for a loopback name (127.0.0.1, localhost, [::1]), ` +
      `not Host ${JSON.stringify(r.host ?? '')}; start it with --host ADDRESS to serve other names`
    );
  }
  if (r.admin && r.origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(r.origin).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    } catch {
      // `Origin: null` (sandboxed frames, file: pages) lands here too: no page may steer the emulator.
      return `the admin API refuses requests from origin ${JSON.stringify(r.origin)}: not a URL`;
    }
    const sameHost = host !== undefined && originHost === host;
    if (!sameHost && !(isLoopbackName(originHost) && (host === undefined || isLoopbackName(host)))) {
      return `the admin API refuses requests sent by a page of another origin (${r.origin}); call it from the command line or a page served from this host`;
    }
  }
  return undefined;
}
