// The first admin: while no admin exists, start-up makes a one-time setup token (only its hash is
// stored) and prints `<base URL>/signup?setup=<token>` on the operator's console. Only that link
// can create an account until then; the account it creates is the admin.
import type { Db } from '../db';
import { hashLinkToken, newLinkToken } from '../accounts/tokens';

export const SETUP_TOKEN_SETTING_KEY = 'setup_token_hash';

export async function adminExists(db: Db): Promise<boolean> {
  return (await db.user.findFirst({ where: { isAdmin: true }, select: { id: true } })) !== null;
}

/**
 * A fresh setup token when no admin exists (replacing any earlier one, so an old printed link
 * stops working), else null and any stale token is removed.
 */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (await adminExists(db)) {
    await db.siteSetting.deleteMany({ where: { key: SETUP_TOKEN_SETTING_KEY } });
    return null;
  }
  const token = newLinkToken();
  const value = hashLinkToken(token);
  await db.siteSetting.upsert({ where: { key: SETUP_TOKEN_SETTING_KEY }, create: { key: SETUP_TOKEN_SETTING_KEY, value }, update: { value } });
  return token;
}

export function setupLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/signup?setup=${token}`;
}
