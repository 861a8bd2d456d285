export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}
export function supervise(specs: ProcessSpec[], options: { log: (line: string) => void; graceMs?: number }): Promise<number>;
