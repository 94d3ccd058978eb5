// A small deterministic hash for names derived inside workflows (no Node crypto there).
// FNV-1a, two 32-bit lanes with different offsets: 64 bits, rendered as hex.
export function shortHash(text: string, hexChars = 10): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 0x2f) >>> 0;
  }
  const hex = a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  return hex.slice(0, hexChars);
}
