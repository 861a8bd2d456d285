// Shared zod schemas for sign-up and sign-in: the forms, the server actions and the Credentials
// provider all validate with these.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../passwords';

/**
 * Usernames become channel slugs, i.e. top-level URL paths (`/<slug>`) and HLS stream names, so
 * every first path segment the app or the media server uses is reserved.
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  'api', 'dashboard', 'login', 'logout', 'signin', 'signout', 'signup', 'register', 'settings', 'admin',
  'live', 'hls', '_next', 'static', 'public', 'assets', 'auth', 'account', 'accounts', 'user', 'users',
  'channel', 'channels', 'stream', 'streams', 'watch', 'embed', 'player', 'about', 'help', 'support',
  'terms', 'privacy', 'root', 'system', 'null', 'undefined', 'favicon', 'robots', 'sitemap', 'www',
  'onair', 'rtmp', 'media', 'new', 'edit', 'search', 'browse', 'explore', 'home', 'index',
]);

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 30;
export const PASSWORD_MIN = 8;

export const usernameSchema = z
  .string({ error: 'Username is required.' })
  .trim()
  .min(USERNAME_MIN, `Username must be at least ${USERNAME_MIN} characters.`)
  .max(USERNAME_MAX, `Username must be at most ${USERNAME_MAX} characters.`)
  .transform((value) => value.toLowerCase())
  .refine((value) => /^[a-z0-9_]+$/.test(value), 'Use only letters, digits and underscores.')
  .refine((value) => !RESERVED_USERNAMES.has(value), 'This username is reserved.');

export const newPasswordSchema = z
  .string({ error: 'Password is required.' })
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`);

export const signUpSchema = z
  .object({
    username: usernameSchema,
    password: newPasswordSchema,
    confirmPassword: z.string({ error: 'Repeat the password.' }).max(PASSWORD_MAX_LENGTH),
  })
  .refine((value) => value.password === value.confirmPassword, {
    path: ['confirmPassword'],
    message: 'Passwords do not match.',
  });

/** Sign-in only bounds the input: the rules above are for new accounts, not for checking old ones. */
export const signInSchema = z.object({
  username: z
    .string({ error: 'Username is required.' })
    .trim()
    .min(1, 'Username is required.')
    .max(USERNAME_MAX, 'Unknown username or wrong password.')
    .transform((value) => value.toLowerCase()),
  password: z.string({ error: 'Password is required.' }).min(1, 'Password is required.').max(PASSWORD_MAX_LENGTH),
});

export type SignInInput = z.output<typeof signInSchema>;
