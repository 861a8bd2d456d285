// Headless Chromium (Debian's /usr/bin/chromium) through playwright-core, with a throwaway
// profile. Never `playwright install`: the system browser is the one under test.
//
//   const browser = await launchBrowser();
//   await browser.page.goto(url);
//   await browser.close();            // closes Chromium and deletes the profile
//
//   const people = await launchPeople();         // several people in ONE Chromium (cheaper than one each)
//   const bob = await people.person();           // a page in its own context: own cookies, own session
//   await people.close();
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The first tab. */
  page: Page;
  close(): Promise<void>;
}

export interface LaunchBrowserOptions {
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  isMobile?: boolean;
  /** Extra Chromium flags, e.g. `--host-resolver-rules=MAP onair.test 127.0.0.1`. */
  args?: string[];
}

export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'onair-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
      viewport: options.viewport ?? { width: 1280, height: 800 },
      deviceScaleFactor: options.deviceScaleFactor,
      isMobile: options.isMobile,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface People {
  browser: Browser;
  /** A new page in a fresh browser context: cookies and storage of its own, like another person's browser. */
  person(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

/** One Chromium for several people at once (each context is as isolated as a separate profile). */
export async function launchPeople(): Promise<People> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    async person(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
      return context.newPage();
    },
    close: () => browser.close(),
  };
}

/** Signs up through the real /signup form of the app at `appUrl` and waits until it lands on the dashboard. */
export async function signUpThroughForm(page: Page, appUrl: string, credentials: { username: string; password: string }): Promise<void> {
  await page.goto(`${appUrl}/signup`);
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  await page.getByLabel('Repeat password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(`${appUrl}/dashboard`, { timeout: 30_000 });
}
