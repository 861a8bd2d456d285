// Next.js start-up hook: reconcile channels left "live" by a restart or a lost publish_done, and,
// while the site has no admin, print the one-time setup link that creates it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ getDb }, { getEnv }, { consoleLogger }, { startReconciler }, { issueSetupToken, setupLink }] = await Promise.all([
    import('./lib/db'),
    import('./lib/env'),
    import('./lib/logger'),
    import('./lib/rtmp-callbacks/reconciler'),
    import('./lib/site-settings/setup-token'),
  ]);
  const env = getEnv();
  startReconciler({ db: getDb(), env, logger: consoleLogger });
  // Past broadcasts: retention at start-up and hourly.
  (await import('./lib/recordings/runtime')).startRetentionTimer();
  // A database that cannot be read now must not stop the server; the next start tries again.
  const token = await issueSetupToken(getDb()).catch((error: unknown) => {
    console.error('could not check whether an admin exists (no setup link this time):', error instanceof Error ? error.message : error);
    return null;
  });
  if (token !== null) {
    // The link is a secret for the operator's console only: printed here once, never logged elsewhere.
    const base = env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? '3000'}`;
    process.stdout.write(`No admin account yet. Open this one-time link to create it:\n${setupLink(base, token)}\n`);
  }
}
