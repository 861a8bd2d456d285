export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
}
export interface SuperviseOptions {
  log: (line: string) => void;
  /** How long a child has between SIGTERM and SIGKILL. Default 10 s. */
  graceMs?: number;
  /** Called once per child right after it was spawned. */
  onStarted?: (name: string, pid: number) => void;
  /** Where SIGINT/SIGTERM come from. Default: this process. */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}
export const CHILD_DIED: number;
export function supervise(specs: ProcessSpec[], options: SuperviseOptions): Promise<number>;
