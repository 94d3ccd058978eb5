// Sizes of text without Node's Buffer, which workflow code does not have.
const encoder = new TextEncoder();

/** UTF-8 size of the text as TextEncoder writes it (a lone surrogate takes 3 bytes), without encoding it. */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (pairAt(text, i)) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Base64 of the text's UTF-8 bytes (a Secret's `data`), without Buffer either. */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
function pairAt(s: string, i: number): boolean {
  return isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1));
}
const shortEscapes = new Set([0x22, 0x5c, 0x08, 0x0c, 0x0a, 0x0d, 0x09]);

/** UTF-8 bytes JSON.stringify gives the code unit at `i` (a surrogate pair counts at its first half). */
function jsonUnitBytes(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (shortEscapes.has(c)) return 2;
  if (c < 0x20) return 6;
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) return 4;
  if (isHigh(c) || isLow(c)) return 6; // a lone surrogate is escaped as \udxxx
  return 3;
}


/** The UTF-8 size of JSON.stringify(text), quotes included, computed without building it. */
export function jsonStringBytes(text: string): number {
  let n = 2;
  for (let i = 0; i < text.length; i++) {
    n += jsonUnitBytes(text, i);
    if (pairAt(text, i)) i++;
  }
  return n;
}

/** The longest start of `text` whose JSON content (quotes excluded) takes at most `max` bytes; never splits a surrogate pair. */
export function jsonHead(text: string, max: number): string {
  let n = 0;
  let i = 0;
  while (i < text.length) {
    const b = jsonUnitBytes(text, i);
    if (n + b > max) break;
    n += b;
    i += pairAt(text, i) ? 2 : 1;
  }
  return text.slice(0, i);
}

/** The longest end of `text` whose JSON content takes at most `max` bytes; never splits a surrogate pair. */
export function jsonTail(text: string, max: number): string {
  let n = 0;
  let i = text.length;
  while (i > 0) {
    const start = i >= 2 && pairAt(text, i - 2) ? i - 2 : i - 1;
    const b = jsonUnitBytes(text, start);
    if (n + b > max) break;
    n += b;
    i = start;
  }
  return text.slice(i);
}
