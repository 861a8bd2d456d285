// The private API's credential check: `Authorization: Bearer <token>`, compared in constant time
// (hashing both sides first makes the lengths equal, so not even the length leaks).
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** A checker for `token`; without a token every request is refused (the API is off). */
export function bearerChecker(token: string | undefined): (authorization: string | undefined) => boolean {
  if (token === undefined || token === '') return () => false;
  const expected = digest(token);
  return (authorization) => {
    if (authorization === undefined || authorization.length > 1024) return false;
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}
