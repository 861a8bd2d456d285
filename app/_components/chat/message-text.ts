// A chat message's text cut into plain text and web links, for rendering as React text nodes and
// <a> elements (never HTML). Only http and https addresses become links: `javascript:`, `data:` and
// the like stay text whatever they look like.

export type TextPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly text: string; readonly href: string };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the address ("see https://a.example/x."). */
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}>]+$/;

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let textStart = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const candidate = trimTrailing(match[0]);
    const href = safeHref(candidate);
    if (href === null) continue;
    const start = match.index;
    if (start > textStart) parts.push({ kind: 'text', text: text.slice(textStart, start) });
    parts.push({ kind: 'link', text: candidate, href });
    textStart = start + candidate.length;
  }
  if (textStart < text.length) parts.push({ kind: 'text', text: text.slice(textStart) });
  return parts;
}

/** Strips sentence punctuation after an address, keeping a ")" that closes a "(" inside it (Wikipedia links). */
function trimTrailing(candidate: string): string {
  let result = candidate.replace(TRAILING_PUNCTUATION, '');
  const tail = candidate.slice(result.length);
  for (const char of tail) {
    const opens = result.split('(').length - 1;
    const closes = result.split(')').length - 1;
    if (char === ')' && opens > closes) result += char;
    else break;
  }
  return result;
}

/** The normalized address when it is a valid http(s) URL with a host, else null. */
function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.href;
}
