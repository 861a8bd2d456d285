// Next.js start-up hook: reconcile channels left "live" by a restart or a lost publish_done.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ getDb }, { getEnv }, { consoleCallbackLogger }, { startReconciler }] = await Promise.all([
    import('./lib/db'),
    import('./lib/env'),
    import('./lib/rtmp-callbacks/logger'),
    import('./lib/rtmp-callbacks/reconciler'),
  ]);
  startReconciler({ db: getDb(), env: getEnv(), logger: consoleCallbackLogger });
}
