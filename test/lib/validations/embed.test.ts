// The embed origin rule (lib/validations/embed.ts): one table of accepted inputs with the origin
// they normalise to, one of refused inputs, then the list and the form built on it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { EMBED_ORIGINS_MAX, embedOriginListSchema, embedOriginSchema, embedSettingsSchema } from '../../../lib/validations/embed';

const ACCEPTED: ReadonlyArray<{ name: string; input: string; origin: string }> = [
  { name: 'https host', input: 'https://example.com', origin: 'https://example.com' },
  { name: 'http host with port', input: 'http://blog.example.org:8080', origin: 'http://blog.example.org:8080' },
  { name: 'trailing slash dropped', input: 'https://example.com/', origin: 'https://example.com' },
  { name: 'upper case lowered', input: 'HTTPS://Example.COM', origin: 'https://example.com' },
  { name: 'default port dropped', input: 'https://example.com:443', origin: 'https://example.com' },
  { name: 'surrounding spaces trimmed', input: '  https://example.com  ', origin: 'https://example.com' },
  { name: 'IPv4 with port', input: 'http://192.168.1.20:3000', origin: 'http://192.168.1.20:3000' },
  { name: 'IPv6 literal', input: 'http://[::1]:8080', origin: 'http://[::1]:8080' },
  { name: 'localhost', input: 'http://localhost:5173', origin: 'http://localhost:5173' },
  { name: 'IDN becomes punycode', input: 'https://bücher.example', origin: 'https://xn--bcher-kva.example' },
];

const REFUSED: ReadonlyArray<{ name: string; input: string }> = [
  { name: 'empty', input: '' },
  { name: 'no scheme', input: 'example.com' },
  { name: 'other scheme', input: 'ftp://example.com' },
  { name: 'javascript: URL', input: 'javascript:alert(1)' },
  { name: 'data: URL', input: 'data:text/html,hi' },
  { name: 'a path', input: 'https://example.com/page' },
  { name: 'a query', input: 'https://example.com?x=1' },
  { name: 'a fragment', input: 'https://example.com#top' },
  { name: 'credentials', input: 'https://user:pass@example.com' },
  { name: 'wildcard host', input: 'https://*.example.com' },
  { name: 'bare wildcard', input: '*' },
  { name: 'CSP keyword', input: "'self'" },
  { name: 'CSP injection with a semicolon', input: "https://example.com;script-src 'unsafe-inline'" },
  { name: 'two origins in one item', input: 'https://a.example https://b.example' },
  { name: 'bad port', input: 'https://example.com:99999' },
  { name: 'over the length bound', input: `https://${'a'.repeat(300)}.example` },
];

describe('embed origin (http(s)://host[:port])', () => {
  for (const { name, input, origin } of ACCEPTED) {
    it(`accepts ${name}: ${JSON.stringify(input)} -> ${origin}`, () => {
      assert.equal(embedOriginSchema.parse(input), origin);
    });
  }
  for (const { name, input } of REFUSED) {
    it(`refuses ${name}: ${JSON.stringify(input.slice(0, 60))}`, () => {
      assert.equal(embedOriginSchema.safeParse(input).success, false);
    });
  }
});

describe('embed origin list (the form textarea)', () => {
  it('splits on lines, spaces and commas, normalises and deduplicates', () => {
    assert.deepEqual(embedOriginListSchema.parse('https://a.example\nHTTPS://A.example/, http://b.example:81\r\n\n'), [
      'https://a.example',
      'http://b.example:81',
    ]);
    assert.deepEqual(embedOriginListSchema.parse('  \n '), []);
  });

  it(`takes at most ${EMBED_ORIGINS_MAX} sites`, () => {
    const sites = (n: number) => Array.from({ length: n }, (_, i) => `https://site${i}.example`).join('\n');
    assert.equal(embedOriginListSchema.parse(sites(EMBED_ORIGINS_MAX)).length, EMBED_ORIGINS_MAX);
    assert.equal(embedOriginListSchema.safeParse(sites(EMBED_ORIGINS_MAX + 1)).success, false);
  });

  it('refuses the whole list when one item is bad, naming it', () => {
    const result = embedOriginListSchema.safeParse('https://ok.example\nnot a site');
    assert.equal(result.success, false);
    // Items are split on spaces too, so "not a site" is three items; the first bad one is named.
    assert.match(result.error?.issues[0]?.message ?? '', /^not must be a site origin/);
  });

  it('bounds the text before splitting it', () => {
    assert.equal(embedOriginListSchema.safeParse(' '.repeat(100_000)).success, false);
  });
});

describe('embed settings form', () => {
  const cases: ReadonlyArray<{ name: string; input: Record<string, string>; ok: boolean; errors?: string[] }> = [
    { name: 'any site, list ignored', input: { mode: 'any', origins: '' }, ok: true },
    { name: 'no site', input: { mode: 'none', origins: '' }, ok: true },
    { name: 'a list', input: { mode: 'list', origins: 'https://a.example' }, ok: true },
    { name: 'a list mode with no site', input: { mode: 'list', origins: ' ' }, ok: false, errors: ['origins'] },
    { name: 'an unknown mode', input: { mode: 'everyone', origins: '' }, ok: false, errors: ['mode'] },
    { name: 'a bad origin even with mode any', input: { mode: 'any', origins: 'nope' }, ok: false, errors: ['origins'] },
  ];
  for (const { name, input, ok, errors } of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${name}`, () => {
      const result = embedSettingsSchema.safeParse(input);
      assert.equal(result.success, ok);
      if (!ok) assert.deepEqual(Object.keys(z.flattenError(result.error!).fieldErrors).sort(), errors);
    });
  }
});
