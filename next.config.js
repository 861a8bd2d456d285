// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 and pg are native/Node-only: load them from node_modules at runtime, never bundle them.
  serverExternalPackages: ['better-sqlite3', 'pg'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
