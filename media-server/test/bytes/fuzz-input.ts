// Input for the parsers' property tests (test/*/fuzz.test.ts): fast-check mutations of real
// captures, and the one acceptable failure, ParseError.
import fc from 'fast-check';
import { ParseError } from '../../src/bytes/parse-error.js';

/** The value, or undefined when `fn` threw ParseError; anything else is rethrown (a bug). */
export function parseErrorOr<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

export type Mutation = { kind: 'flip'; at: number; value: number } | { kind: 'delete'; at: number; length: number } | { kind: 'insert'; at: number; bytes: Uint8Array } | { kind: 'truncate'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

export function mutate(source: Uint8Array, mutations: Mutation[], from = 0): Buffer {
  let bytes = Buffer.from(source);
  for (const m of mutations) {
    const at = from + (m.at % Math.max(1, bytes.length - from));
    if (m.kind === 'flip') bytes[at] = m.value;
    else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    else bytes = bytes.subarray(0, at);
  }
  return bytes;
}
