export function newestMtime(paths: string[]): number;
export function isStale(output: string, sources: string[]): boolean;
