// The throwaway PostgreSQL cluster every PostgreSQL test relies on.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import pg from 'pg';
import { startPostgres } from '../../helpers/postgres';

describe('startPostgres (throwaway PostgreSQL 15 cluster)', () => {
  it('serves PostgreSQL 15 on 127.0.0.1 only, and stop() removes the server and its files', async (t) => {
    const started = performance.now();
    const cluster = await startPostgres();
    t.diagnostic(`initdb + pg_ctl start: ${Math.round(performance.now() - started)} ms`);
    try {
      assert.match(cluster.url, /^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      assert.ok(existsSync(cluster.dataDir));
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT current_setting('server_version_num') AS version, current_setting('listen_addresses') AS listen, current_setting('fsync') AS fsync`);
        assert.equal(rows[0].listen, '127.0.0.1');
        assert.equal(Math.floor(Number(rows[0].version) / 10000), 15);
        assert.equal(rows[0].fsync, 'off');
      } finally {
        await client.end();
      }
    } finally {
      const stopping = performance.now();
      await cluster.stop();
      t.diagnostic(`pg_ctl stop + delete: ${Math.round(performance.now() - stopping)} ms`);
    }
    assert.equal(existsSync(cluster.dataDir), false);
    const client = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
    await assert.rejects(client.connect(), /ECONNREFUSED|connect/);
    await cluster.stop(); // twice is fine
  });
});
