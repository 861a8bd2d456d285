// @ts-check
// Prisma's own schema engine (the WebAssembly build of prisma-engines that matches Prisma 7.10.0)
// driven through the same driver adapters the app uses. The Prisma 7 CLI would download a native
// engine for `migrate`, which this offline machine cannot do; the wasm engine produces the same
// migration SQL, migration_lock.toml and `_prisma_migrations` rows, so `prisma migrate deploy`
// can take over any database these scripts created (see /work/shared/ENVIRONMENT.md).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const require = createRequire(import.meta.url);

/** @typedef {import('@prisma/schema-engine-wasm/schema_engine_bg').SchemaEngine} SchemaEngine */
/** @typedef {typeof import('@prisma/schema-engine-wasm/schema_engine_bg')} EngineGlue */
/** @typedef {import('@prisma/driver-adapter-utils').SqlDriverAdapter} SqlDriverAdapter */
/** @typedef {import('@prisma/driver-adapter-utils').SqlMigrationAwareDriverAdapterFactory} SqlMigrationAwareDriverAdapterFactory */
/** @typedef {import('@prisma/driver-adapter-utils').ErrorRegistry} ErrorRegistry */
/** @typedef {import('../../lib/config/database-url.mjs').DatabaseUrl} DatabaseUrl */
/** @typedef {import('../../lib/config/database-url.mjs').PostgresDatabaseUrl} PostgresDatabaseUrl */

/**
 * The engine calls the migration scripts make (each takes one input object).
 * @typedef {'applyMigrations' | 'createMigration' | 'devDiagnostic' | 'diagnoseMigrationHistory' | 'diff' | 'evaluateDataLoss' | 'schemaPush'} EngineOperation
 */
/**
 * @template {EngineOperation} Op
 * @typedef {Parameters<SchemaEngine[Op]>[0]} EngineInput
 */
/**
 * @template {EngineOperation} Op
 * @typedef {Awaited<ReturnType<SchemaEngine[Op]>>} EngineOutput
 */

/**
 * @typedef {object} OpenSchemaEngine
 * @property {string} schemaPath
 * @property {string} schemaText
 * @property {<Op extends EngineOperation>(operation: Op, input: EngineInput<Op>) => Promise<EngineOutput<Op>>} call
 * @property {() => Promise<void>} close
 */

/** Engine failures carry the engine's own message (for example `P3006 Migration … failed to apply`). */
export class SchemaEngineError extends Error {
  /**
   * @param {string} operation
   * @param {unknown} cause
   * @param {string[]} logs
   * @param {ErrorRegistry | undefined} errorRegistry
   */
  constructor(operation, cause, logs, errorRegistry) {
    super(`schema engine ${operation} failed: ${withJsError(describe(cause), errorRegistry)}`, { cause });
    this.name = 'SchemaEngineError';
    this.operation = operation;
    /** The engine's log lines up to the failure, for diagnosis. */
    this.logs = logs;
  }
}

/**
 * A JavaScript error thrown inside the driver adapter reaches the engine only as an id
 * ("External error id#3"); the error itself waits in the bound factory's registry.
 * @param {string} message
 * @param {ErrorRegistry | undefined} errorRegistry
 */
function withJsError(message, errorRegistry) {
  const id = /External error id#(\d+)/.exec(message)?.[1];
  const entry = id === undefined ? undefined : errorRegistry?.consumeError(Number(id));
  return entry ? `${message.trimEnd()} (${describe(entry.error)})` : message;
}

/** @param {unknown} error */
function describe(error) {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return JSON.stringify(error);
}

// Panics inside the wasm call this registry before throwing; without it they surface as a
// TypeError about an undefined registry instead of the panic message.
const panicRegistry = {
  message: '',
  get() {
    return `RuntimeError: ${this.message}`;
  },
  /** @param {string} message */
  set_message(message) {
    this.message = message;
  },
};

/**
 * @typedef {typeof panicRegistry} PanicRegistry
 * @typedef {typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }} WasmGlobal
 */
const wasmGlobal = /** @type {WasmGlobal} */ (globalThis);

/** @type {Promise<EngineGlue> | undefined} */
let enginePromise;

/**
 * Loads and instantiates the wasm module, once per process (its glue keeps module-level state, so
 * a second instance would corrupt the first). Node 20 cannot `import` a .wasm file, so the glue
 * module is imported and the binary instantiated by hand, as the package's own entry would do.
 * @returns {Promise<EngineGlue>}
 */
export function loadSchemaEngine() {
  enginePromise ??= (async () => {
    wasmGlobal.PRISMA_WASM_PANIC_REGISTRY ??= panicRegistry;
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
    /** @type {WebAssembly.ModuleImports} */
    const imports = { ...glue };
    // The engine arms 60 s timers and leaves them running after its calls return. An armed timer
    // would keep an in-process caller (a test) alive for a minute after its last migration;
    // unref'd, it still fires while other work keeps the process running.
    for (const key of Object.keys(glue)) {
      if (key.startsWith('__wbg_setTimeout_')) {
        imports[key] = (/** @type {() => void} */ callback, /** @type {number} */ ms) => {
          const timer = setTimeout(callback, ms >>> 0);
          timer.unref();
          return timer;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
    glue.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start !== 'function') throw new Error('@prisma/schema-engine-wasm: the wasm module exports no __wbindgen_start');
    start();
    return glue;
  })();
  return enginePromise;
}

// ---------------------------------------------------------------------------------------------
// Adapter factories, with the workarounds the engine needs.

/**
 * SQLite. The shadow database (used to replay migrations when creating a new one) is in memory.
 * The engine replays each migration file through `executeRaw`, which better-sqlite3 refuses for
 * more than one statement; `executeScript` runs the whole file.
 * @param {string} filePath
 * @returns {SqlMigrationAwareDriverAdapterFactory}
 */
function sqliteFactory(filePath) {
  const base = new PrismaBetterSqlite3({ url: filePath }, { shadowDatabaseUrl: ':memory:' });
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => base.connect(),
    async connectToShadowDb() {
      const adapter = await base.connectToShadowDb();
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (error) {
          if (query.args.length > 0 || !/more than one statement/i.test(describe(error))) throw error;
          await adapter.executeScript(query.sql);
          return 0;
        }
      };
      return adapter;
    },
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * @template {{ fields?: { dataTypeID: number }[] } | null | undefined} Result
 * @param {Result} result
 * @returns {Result}
 */
function charColumnsAsText(result) {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

/**
 * The engine's introspection reads catalog columns of type `"char"` (pg_class.relkind, …), which
 * the pg adapter has no column type for. The values are one-character strings, so the client
 * reports them as text. Handles both pg calling conventions (Pool.query uses the callback one).
 */
class CharAsTextClient extends pg.Client {
  // pg.Client#query has eight overloads; this one forwards each of them unchanged, so it takes
  // them as they come and calls the base method through Reflect.apply.
  /** @param {unknown[]} args */
  query(...args) {
    const [config, values, callback] = args;
    const query = super.query;
    /**
     * @param {Function} done
     * @returns {(err: Error | null, res: pg.QueryResult | undefined) => unknown}
     */
    const converting = (done) => (err, res) => done(err, err ? res : charColumnsAsText(res));
    if (typeof values === 'function') return Reflect.apply(query, this, [config, converting(values)]);
    if (typeof callback === 'function') return Reflect.apply(query, this, [config, values, converting(callback)]);
    const result = Reflect.apply(query, this, [config, values]);
    return typeof result?.then === 'function' ? result.then(charColumnsAsText) : result;
  }
}

/**
 * PostgreSQL, built from host/port/user/password/database rather than a connection string: the
 * adapter's shadow database is `{ ...config, database }`, which a `connectionString` would
 * override, silently making the main database the shadow one. The adapter also drops the shadow
 * database while its own pool still holds a connection (and never closes the pool it created it
 * with), so the shadow lifecycle is done here: create, use, close its pool, drop, close.
 * @param {PostgresDatabaseUrl} parsed
 * @returns {SqlMigrationAwareDriverAdapterFactory}
 */
function postgresFactory(parsed) {
  const schema = parsed.schema;
  const config = {
    host: parsed.host,
    port: parsed.port,
    user: parsed.user,
    password: parsed.password,
    database: parsed.database,
    Client: CharAsTextClient,
    // An unreachable server fails the command instead of hanging it.
    connectionTimeoutMillis: 10_000,
    // `?schema=` must govern where the migration SQL (unqualified `CREATE TABLE "User"`) and
    // `_prisma_migrations` land, as it does for Prisma's native engine: set the search_path.
    ...(schema === undefined ? {} : { options: `-c search_path="${schema}"` }),
  };
  const options = schema === undefined ? undefined : { schema };
  const base = new PrismaPg(config, options);
  // Like Prisma's native engine, create a missing schema (in the shadow database too).
  /** @param {SqlDriverAdapter} adapter */
  const ensureSchema = async (adapter) => {
    if (schema !== undefined) await adapter.executeScript(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    return adapter;
  };
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => ensureSchema(await base.connect()),
    async connectToShadowDb() {
      const main = await base.connect();
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      try {
        await main.executeScript(`CREATE DATABASE "${database}"`);
      } catch (error) {
        await main.dispose();
        throw error;
      }
      const shadow = await new PrismaPg({ ...config, database }, options).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        try {
          await dispose();
          await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        } finally {
          await main.dispose();
        }
      };
      return ensureSchema(shadow);
    },
  };
}

/**
 * @param {DatabaseUrl} parsedUrl
 * @returns {SqlMigrationAwareDriverAdapterFactory}
 */
export function adapterFactoryFor(parsedUrl) {
  return parsedUrl.provider === 'sqlite' ? sqliteFactory(parsedUrl.filePath) : postgresFactory(parsedUrl);
}

// ---------------------------------------------------------------------------------------------

/**
 * Opens the engine on one database with one schema file. Every engine call goes through
 * `call(operation, input)`, which turns a rejection into a SchemaEngineError with the log lines.
 * `close()` frees the engine and the adapter's connections.
 * @param {{ parsedUrl: DatabaseUrl; schemaPath: string; verbose?: boolean }} options
 * @returns {Promise<OpenSchemaEngine>}
 */
export async function openSchemaEngine({ parsedUrl, schemaPath, verbose = false }) {
  const glue = await loadSchemaEngine();
  const schemaText = await readFile(schemaPath, 'utf8');
  /** @type {string[]} */
  const logs = [];
  /** @param {string} line */
  const log = (line) => {
    logs.push(line);
    if (logs.length > 200) logs.shift();
    if (verbose) process.stderr.write(`[schema-engine] ${line}\n`);
  };
  // Every adapter the engine opens is remembered so close() can release it: an open pg pool or
  // SQLite handle would otherwise outlive the engine (and keep the process running).
  /** @type {SqlDriverAdapter[]} */
  const opened = [];
  /** @param {SqlDriverAdapter} adapter */
  const track = (adapter) => {
    const dispose = adapter.dispose.bind(adapter);
    /** @type {Promise<void> | undefined} */
    let disposed;
    adapter.dispose = () => (disposed ??= dispose());
    opened.push(adapter);
    return adapter;
  };
  const raw = adapterFactoryFor(parsedUrl);
  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: raw.provider,
    adapterName: raw.adapterName,
    connect: async () => track(await raw.connect()),
    connectToShadowDb: async () => track(await raw.connectToShadowDb()),
  });
  /** @type {SchemaEngine} */
  let engine;
  try {
    engine = await glue.SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] }, log, factory);
  } catch (error) {
    await Promise.all(opened.map((adapter) => adapter.dispose()));
    throw new SchemaEngineError('start', error, logs, factory.errorRegistry);
  }
  return {
    schemaPath,
    schemaText,
    async call(operation, input) {
      const registry = wasmGlobal.PRISMA_WASM_PANIC_REGISTRY;
      if (registry === panicRegistry) panicRegistry.message = '';
      try {
        // TypeScript cannot pick one signature out of `engine[operation]` for a generic operation;
        // `call`'s own signature ties each operation to its input and output types.
        return await Reflect.apply(engine[operation], engine, [input]);
      } catch (error) {
        // A Rust panic throws a bare `RuntimeError: unreachable`; its message went to the registry.
        // (The wasm instance may be unusable afterwards: run the next migration in a new process.)
        const panic = registry === panicRegistry && panicRegistry.message !== '' ? new Error(`panic: ${panicRegistry.message}`, { cause: error }) : error;
        throw new SchemaEngineError(operation, panic, [...logs], factory.errorRegistry);
      }
    },
    async close() {
      engine.free();
      await Promise.all(opened.map((adapter) => adapter.dispose()));
    },
  };
}
