// HTML built from template literals that escape every value put in them, so text from a report
// (a message holding `<script>` or `</details>`) can only ever read as text. Pure.

/** Markup already built: inserted as it is. Anything else is text. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | HtmlValue[];

/** Text as HTML, for element content and quoted attribute values alike; control characters and lone surrogates, which HTML forbids, are dropped. */
export const escapeHtml = (text: string) =>
  text
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
    .replace(/[^\t\n\r\x20-\x7E\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');

const piece = (v: HtmlValue): string =>
  v instanceof Html ? v.markup : Array.isArray(v) ? v.map(piece).join('') : v === null || v === undefined || v === false ? '' : escapeHtml(String(v));

/** `html\`<td>${text}</td>\``: the values escaped (arrays joined; null, undefined and false left out), the literal parts kept. */
export function html(parts: TemplateStringsArray, ...values: HtmlValue[]): Html {
  return new Html(parts.reduce((out, part, i) => out + part + (i < values.length ? piece(values[i]) : ''), ''));
}
