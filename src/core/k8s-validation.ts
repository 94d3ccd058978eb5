// Kubernetes' own validation rules for what a suite puts into objects, so a bad suite is refused
// before anything is created (apimachinery pkg/util/validation, pkg/api/resource, core/v1 and RBAC
// validation). Each check returns what is wrong, or undefined.

const dnsLabelPart = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dnsSubdomainRe = new RegExp(`^${dnsLabelPart}(\\.${dnsLabelPart})*$`);
const qualifiedNamePartRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const configMapKeyRe = /^[-._a-zA-Z0-9]+$/;

/** A DNS-1123 subdomain (Secret, ConfigMap, RuntimeClass names): at most 253 lowercase letters, digits, "-" and ".". */
export function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be at most 253 characters';
  if (!dnsSubdomainRe.test(value)) return 'must be a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (e.g. "my-secret")';
  return undefined;
}

/** A label or annotation key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'must be a name with at most one "/" (e.g. "example.com/my-key")';
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    if (parts[0] === '') return 'the prefix before "/" must not be empty';
    const prefix = dnsSubdomainProblem(parts[0]);
    if (prefix) return `the prefix before "/" ${prefix}`;
  }
  if (name === '') return 'the name must not be empty';
  if (name.length > 63) return 'the name (after any "/") must be at most 63 characters';
  if (!qualifiedNamePartRe.test(name)) return 'the name (after any "/") must consist of letters, digits, "-", "_" or ".", starting and ending with a letter or digit (e.g. "app.kubernetes.io/name")';
  return undefined;
}

/** A label value: empty, or at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'a label value must be at most 63 characters';
  if (!labelValueRe.test(value)) return 'a label value must be empty or letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  return undefined;
}

/** A ConfigMap or Secret key (and so an input file name). */
export function configMapKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'must be at most 253 characters';
  if (!configMapKeyRe.test(key)) return 'must consist of letters, digits, "-", "_" or "." (e.g. "snapshot.yaml")';
  if (key === '.' || key === '..') return `must not be "${key}"`;
  if (key.startsWith('..')) return 'must not start with ".."';
  return undefined;
}

/** An environment variable name (Kubernetes 1.34+ rule): printable ASCII other than "=". */
export function envVarNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3d) return 'must consist of printable ASCII characters other than "=" (e.g. "MY_VAR")';
  }
  return undefined;
}

/** An RBAC name (a ClusterRole): a valid path segment. */
export function rbacNameProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `must not be "${name}"`;
  if (name.includes('/') || name.includes('%')) return 'must not contain "/" or "%"';
  return undefined;
}

// Quantity: <signedNumber><suffix>, the suffix binary SI (Ki..Ei), a decimal exponent (e3, E-2) or decimal SI (n u m "" k M G T P E).
const number = '(\\d+(\\.\\d*)?|\\.\\d+)';
const quantityRe = new RegExp(`^(?<sign>[+-]?)(?<num>${number})(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\\d+|[numkMGTPE])?$`);
const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a quantity (approximate: for comparisons), or undefined when it is not one. */
export function quantityValue(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  const m = quantityRe.exec(q);
  if (!m) return undefined;
  const { sign, num, suffix = '' } = m.groups!;
  const n = Number(`${sign}${num}`);
  if (suffix in binary) return n * binary[suffix];
  if (suffix in decimal) return n * decimal[suffix];
  return n * 10 ** Number(suffix.slice(1));
}

export function quantityProblem(q: string | number): string | undefined {
  const v = quantityValue(q);
  if (v === undefined) return 'must be a Kubernetes quantity such as "500m", "2", "1.5Gi", "1e3" or "128M"';
  if (v < 0 || (typeof q === 'string' && q.startsWith('-'))) return 'must not be negative';
  return undefined;
}

/** Resource names a container may use without a domain prefix. */
const standardContainerResource = /^(cpu|memory|ephemeral-storage|hugepages-.+)$/;
const isNativeDomain = (prefix: string) => prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io');

export function containerResourceNameProblem(name: string): string | undefined {
  const qualified = qualifiedNameProblem(name);
  if (qualified) return qualified;
  if (!name.includes('/') && !standardContainerResource.test(name)) return 'must be cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource with a domain (e.g. "nvidia.com/gpu")';
  return undefined;
}

/** Extended resources (a domain other than kubernetes.io) are counted in whole units. */
export const isExtendedResource = (name: string) => name.includes('/') && !isNativeDomain(name.split('/')[0]);

// An image reference: [registry[:port]/]path[:tag][@digest], path components lowercase.
const domainPart = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainPart}(?:\\.${domainPart})*|\\[[0-9a-fA-F:]+\\])(?::\\d+)?`;
const pathPart = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const imageRe = new RegExp(`^((?:${domain}/)?${pathPart}(?:/${pathPart})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

export function imageProblem(image: string): string | undefined {
  const m = imageRe.exec(image);
  if (!m) return 'must be an image reference such as "registry.example.com/team/check:1.2" or "busybox@sha256:<digest>" (lowercase path, optional tag and digest)';
  if (m[1].length > 255) return 'the image name (before any tag or digest) must be at most 255 characters';
  return undefined;
}
