export const DEFAULTS: Readonly<Record<string, string>>;
export function loadOrCreateSecrets(dataDir: string): Record<string, string>;
/** Every default-bearing key is set in the result; other keys are as the environment had them. */
export function resolvePlatformEnv(root: string, baseEnv?: Record<string, string | undefined>): Record<string, string>;
export function parseDotenv(text: string): Record<string, string>;
