export function nodeFlagsFromShebang(source: string): string[];
export function mediaServerBin(root: string): string;
export function mediaServerNodeFlags(root: string): string[];
