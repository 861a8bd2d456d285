export const DEFAULTS: Readonly<Record<string, string>>;
export function loadOrCreateSecrets(dataDir: string): Record<string, string>;
export function resolvePlatformEnv(root: string, baseEnv?: NodeJS.ProcessEnv): NodeJS.ProcessEnv & Record<string, string>;
export function parseDotenv(text: string): Record<string, string>;
