import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitLinks, type TextPart } from '../../../../app/_components/chat/message-text.js';

const text = (value: string): TextPart => ({ kind: 'text', text: value });
const link = (value: string, href = value): TextPart => ({ kind: 'link', text: value, href });

describe('chat message links', () => {
  const cases: Array<{ name: string; input: string; parts: TextPart[] }> = [
    { name: 'plain text', input: 'hello there', parts: [text('hello there')] },
    { name: 'empty', input: '', parts: [] },
    { name: 'a link alone', input: 'https://a.example/x?y=1', parts: [link('https://a.example/x?y=1')] },
    { name: 'a link in a sentence', input: 'see http://a.example/x. ok', parts: [text('see '), link('http://a.example/x'), text('. ok')] },
    { name: 'two links', input: 'https://a.example and https://b.example/', parts: [link('https://a.example', 'https://a.example/'), text(' and '), link('https://b.example/')] },
    { name: 'closing paren of the sentence', input: '(https://a.example/x)', parts: [text('('), link('https://a.example/x'), text(')')] },
    { name: 'paren inside the address', input: 'https://en.example/wiki/A_(b)', parts: [link('https://en.example/wiki/A_(b)')] },
    { name: 'javascript: stays text', input: 'javascript:alert(1)', parts: [text('javascript:alert(1)')] },
    { name: 'data: stays text', input: 'data:text/html,<b>x</b>', parts: [text('data:text/html,<b>x</b>')] },
    { name: 'html around a link', input: '<a href="https://a.example">x</a>', parts: [text('<a href="'), link('https://a.example', 'https://a.example/'), text('">x</a>')] },
    { name: 'no host', input: 'http:// nothing', parts: [text('http:// nothing')] },
    { name: 'uppercase scheme', input: 'HTTPS://A.EXAMPLE/P', parts: [link('HTTPS://A.EXAMPLE/P', 'https://a.example/P')] },
    { name: 'not inside a word', input: 'xhttps://a.example', parts: [text('xhttps://a.example')] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(splitLinks(c.input), c.parts));

  it('gives back every character of the text, in order', () => {
    const input = 'a https://a.example/(x)), b http://b.example:8080/?q=<1> c';
    assert.equal(splitLinks(input).map((part) => part.text).join(''), input);
  });
});
