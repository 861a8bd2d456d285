/** One build: run `command args` in `cwd` with `env` when `output` is older than `sources`. */
export interface BuildTask {
  name: string;
  /** Printed when a build is about to start. */
  message: string;
  output: string;
  sources: string[];
  lockFile: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}
export const NEXT_BUILD_SOURCES: readonly string[];
export const MEDIA_SERVER_BUILD_SOURCES: readonly string[];
export function nextDistDir(env?: Record<string, string | undefined>): string;
export function nextBuildLockFile(distDir: string): string;
export function newestMtime(paths: string[]): number;
export function isStale(output: string, sources: string[]): boolean;
export function buildIfNeeded(task: BuildTask, options: { log: (line: string) => void }): 'current' | 'built';
export function nextBuildTask(root: string, env: Record<string, string | undefined>): BuildTask;
export function mediaServerBuildTask(root: string, env: Record<string, string | undefined>): BuildTask;
