// Whether a session token still stands: its user exists, is not disabled and has the same
// sessionVersion as when the token was issued. One lookup by primary key per request.
import type { Db } from '../db';

export interface SessionClaims {
  sub?: string | undefined;
  sv?: number | undefined;
}

export interface ActiveSessionUser {
  id: string;
  username: string;
  isAdmin: boolean;
  sessionVersion: number;
}

export async function findActiveSessionUser(db: Db, claims: SessionClaims): Promise<ActiveSessionUser | null> {
  if (typeof claims.sub !== 'string' || claims.sub === '' || typeof claims.sv !== 'number') return null;
  const user = await db.user.findUnique({
    where: { id: claims.sub },
    select: { id: true, username: true, isAdmin: true, sessionVersion: true, disabledAt: true },
  });
  if (!user || user.disabledAt !== null || user.sessionVersion !== claims.sv) return null;
  return { id: user.id, username: user.username, isAdmin: user.isAdmin, sessionVersion: user.sessionVersion };
}
