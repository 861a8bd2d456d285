// What a chat message may contain: plain text on one line, at most maxLength characters. The text
// is data end to end (JSON on the wire, a text node in the browser), so nothing here escapes HTML;
// it only removes what would let one message disguise or reorder others (control and bidi
// override characters) and refuses what is empty or too long.

export type ChatTextResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

// C0/C1 controls except tab/newlines (folded to spaces below), and the bidi embedding/override/
// isolate marks that can flip how the following messages read.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function validateChatText(raw: string, maxLength: number): ChatTextResult {
  const text = raw.replace(INVISIBLE, '').replace(/[\t\r\n]+/g, ' ').trim();
  if (text === '') return { ok: false, message: 'Type a message first.' };
  const length = chatTextLength(text);
  if (length > maxLength) return { ok: false, message: `Messages are at most ${maxLength} characters (this one has ${length}).` };
  return { ok: true, text };
}

/** Length as a person counts it: code points, so an emoji is one character, not two UTF-16 units. */
export function chatTextLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The form duplicates are compared in: case and inner spacing do not make a message new. */
export function duplicateKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}
