// UTF-8 size without Node's Buffer, which workflow code does not have.
const encoder = new TextEncoder();
export const utf8Bytes = (text: string): number => encoder.encode(text).length;
