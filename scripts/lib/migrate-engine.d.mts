import type { DatabaseUrl } from './database-url.mjs';

export class SchemaEngineError extends Error {
  operation: string;
  logs: string[];
}

export interface OpenSchemaEngine {
  schemaPath: string;
  schemaText: string;
  call(operation: string, input?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export function loadSchemaEngine(): Promise<unknown>;
export function adapterFactoryFor(parsedUrl: DatabaseUrl): unknown;
export function openSchemaEngine(options: { parsedUrl: DatabaseUrl; schemaPath: string; verbose?: boolean }): Promise<OpenSchemaEngine>;
