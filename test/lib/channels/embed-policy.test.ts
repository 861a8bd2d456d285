// The embed rule between the stored column, the form and the frame-ancestors header
// (lib/channels/embed-policy.ts), and which paths are the embed page (lib/channels/embed-route.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { embedFormValues, frameAncestors, parseEmbedPolicy, serializeEmbedPolicy } from '../../../lib/channels/embed-policy';
import { embedSlugOf } from '../../../lib/channels/embed-route';
import { EMBED_ORIGINS_MAX } from '../../../lib/validations/embed';

describe('embed policy', () => {
  const cases: ReadonlyArray<{ name: string; stored: string; header: string }> = [
    { name: 'any site', stored: '*', header: '*' },
    { name: 'no site', stored: 'none', header: "'none'" },
    { name: 'a list', stored: 'https://a.example http://b.example:8080', header: 'https://a.example http://b.example:8080' },
    // The column may have been edited by hand: what cannot be read allows fewer sites, never more.
    { name: 'empty: no site', stored: '', header: "'none'" },
    { name: 'garbage: no site', stored: "'unsafe-inline'; script-src *", header: "'none'" },
    { name: 'bad items dropped, good kept', stored: 'https://ok.example * javascript:x', header: 'https://ok.example' },
    { name: 'a wildcard inside a list is not "any"', stored: 'https://a.example *', header: 'https://a.example' },
  ];
  for (const { name, stored, header } of cases) {
    it(`${name}: ${JSON.stringify(stored)} -> frame-ancestors ${header}`, () => {
      assert.equal(frameAncestors(parseEmbedPolicy(stored)), header);
    });
  }

  it(`a stored list longer than ${EMBED_ORIGINS_MAX} is cut to the bound`, () => {
    const stored = Array.from({ length: 50 }, (_, i) => `https://s${i}.example`).join(' ');
    const policy = parseEmbedPolicy(stored);
    assert.equal(policy.kind === 'list' && policy.origins.length, EMBED_ORIGINS_MAX);
  });

  it('round-trips the form through the column', () => {
    assert.equal(serializeEmbedPolicy({ mode: 'any', origins: ['https://ignored.example'] }), '*');
    assert.equal(serializeEmbedPolicy({ mode: 'none', origins: [] }), 'none');
    const stored = serializeEmbedPolicy({ mode: 'list', origins: ['https://a.example', 'http://b.example:81'] });
    assert.deepEqual(embedFormValues(stored), { mode: 'list', origins: 'https://a.example\nhttp://b.example:81' });
    assert.deepEqual(embedFormValues('*'), { mode: 'any', origins: '' });
    assert.deepEqual(embedFormValues('none'), { mode: 'none', origins: '' });
  });
});

describe('embed page paths', () => {
  for (const [path, slug] of [
    ['/alice/embed', 'alice'],
    ['/alice/embed/', 'alice'],
    ['/alice', null],
    ['/alice/embed/x', null],
    ['/Alice/embed', null],
    ['/a/b/embed', null],
    ['/%2e%2e/embed', null],
  ] as const) {
    it(`${path} -> ${String(slug)}`, () => assert.equal(embedSlugOf(path), slug));
  }
});
