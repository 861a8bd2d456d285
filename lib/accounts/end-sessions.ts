// Ends every session of a user: session tokens carry the sessionVersion they were issued with
// (`sv`), and a token whose version differs from the user's is treated as signed out.
import type { Db } from '../db';

/** Bumps the user's sessionVersion; returns the new version (for re-issuing the current browser's cookie). */
export async function endAllSessions(db: Db, userId: string): Promise<number> {
  const user = await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true } });
  return user.sessionVersion;
}
