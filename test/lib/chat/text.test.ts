import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatTextLength, duplicateKey, validateChatText } from '../../../lib/chat/text';

describe('chat text', () => {
  const cases: { name: string; raw: string; max?: number; result: ReturnType<typeof validateChatText> }[] = [
    { name: 'plain text is kept, trimmed', raw: '  hello there  ', result: { ok: true, text: 'hello there' } },
    { name: 'HTML stays as typed (it is data, never markup)', raw: '<b>hi</b><script>x()</script>', result: { ok: true, text: '<b>hi</b><script>x()</script>' } },
    { name: 'newlines and tabs become spaces (one line per message)', raw: 'a\r\n\r\nb\tc', result: { ok: true, text: 'a b c' } },
    { name: 'control characters are dropped', raw: 'a\u0000b\u0007c\u009b', result: { ok: true, text: 'abc' } },
    { name: 'bidi overrides that flip later messages are dropped', raw: 'x\u202Eevil\u2066y', result: { ok: true, text: 'xevily' } },
    { name: 'empty', raw: '', result: { ok: false, message: 'Type a message first.' } },
    { name: 'only spaces and controls', raw: ' \n\t\u0000 ', result: { ok: false, message: 'Type a message first.' } },
    { name: 'one over the limit', raw: 'x'.repeat(11), max: 10, result: { ok: false, message: 'Messages are at most 10 characters (this one has 11).' } },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(validateChatText(c.raw, c.max ?? 500), c.result));
  }

  it('counts characters as a person does: an emoji is one', () => {
    assert.equal(chatTextLength('😀😀'), 2);
    assert.deepEqual(validateChatText('😀'.repeat(10), 10), { ok: true, text: '😀'.repeat(10) });
    assert.equal(validateChatText('😀'.repeat(11), 10).ok, false);
  });

  it('duplicates ignore case and inner spacing', () => {
    assert.equal(duplicateKey('Hello   World'), duplicateKey('hello world'));
    assert.notEqual(duplicateKey('hello world'), duplicateKey('hello world!'));
  });
});
