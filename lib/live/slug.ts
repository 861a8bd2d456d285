// A channel's public name as it appears in URLs: the owner's username, `[a-z0-9_]{3,30}` (see
// lib/validations/auth.ts). Checked loosely here (1-64) so a rule change there never 404s a
// channel, yet nothing that could be a path, query or stream key ever passes.
export const SLUG_PATTERN = /^[a-z0-9_]{1,64}$/;

export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}
