export const DEFAULTS: Readonly<Record<string, string>>;
export function loadOrCreateSecrets(dataDir: string): Record<string, string>;
/** The settings `npm start` always resolves; other keys are as the environment had them. */
export interface PlatformEnv extends Record<string, string | undefined> {
  PORT: string;
  RTMP_PORT: string;
  MEDIA_HTTP_PORT: string;
  RTMP_APP: string;
  MEDIA_SERVER: string;
  DATA_DIR: string;
  DATABASE_URL: string;
  NEXTAUTH_SECRET: string;
  RTMP_CALLBACK_SECRET: string;
  MEDIA_SERVER_API_TOKEN: string;
  MEDIA_SERVER_API_URL: string;
}
export function resolvePlatformEnv(root: string, baseEnv?: Record<string, string | undefined>): PlatformEnv;
export function checkPlatformEnv(env: Record<string, string | undefined>): string[];
export function parseDotenv(text: string): Record<string, string>;
export function busyPorts(env: Record<string, string | undefined>, keys: string[]): Promise<string[]>;
