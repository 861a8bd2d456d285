// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 and pg are native/Node-only: load them from node_modules at runtime, never bundle them.
  serverExternalPackages: ['better-sqlite3', 'pg'],
  // Tests may build into their own folder (NEXT_DIST_DIR) so parallel builds never clobber each other.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  // Types are checked by `npm run typecheck` (CI runs it); `next build` would check the whole tsconfig,
  // tests included, so one test's type error would stop every test that needs the built app.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
};

export default nextConfig;
