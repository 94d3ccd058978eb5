// UTF-8 size without Node's Buffer, which workflow code does not have.
const encoder = new TextEncoder();
export const utf8Bytes = (text: string): number => encoder.encode(text).length;

/** Base64 of the text's UTF-8 bytes (a Secret's `data`), without Buffer either. */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
