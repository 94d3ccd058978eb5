// A request's verb as the API server counts it (WATCH and LIST are GETs on collections, APPLY is a
// server-side-apply PATCH), from what a client sees: method, URL and content type. Pure.
export function verbOf(method: string, url: URL, contentType = ''): string {
  if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') return 'WATCH';
  if (method === 'PATCH' && contentType.includes('apply-patch')) return 'APPLY';
  if (method !== 'GET') return method;
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'api' && parts[0] !== 'apis') return 'GET'; // discovery, openapi, /version
  const rest = parts.slice(parts[0] === 'api' ? 2 : 3);
  const inNamespace = rest[0] === 'namespaces' && rest.length > 2 ? rest.slice(2) : rest;
  return inNamespace.length === 1 ? 'LIST' : 'GET';
}

/** Verbs of the requests in kubectl -v=6 output (both its structured and its older plain format). */
export function kubectlVerbs(log: string): string[] {
  const out: string[] = [];
  for (const line of log.split('\n')) {
    const m = /verb="(\w+)" url="([^"]+)"/.exec(line) ?? /\] (GET|POST|PUT|PATCH|DELETE) (https?:\/\/\S+) \d{3}/.exec(line);
    if (m && /Response|\d{3}/.test(line)) out.push(verbOf(m[1], new URL(m[2])));
  }
  return out;
}

export function countVerbs(verbs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of verbs) out[v] = (out[v] ?? 0) + 1;
  return out;
}
