/** Process configuration of `npm start`, from environment variables (documented in the README). */
import path from 'node:path';
import { z } from 'zod';
import { MIN_ADMIN_TOKEN_LENGTH } from '../config/adminToken';
import { parseOrThrow } from '../server/validation';

const port = z.coerce.number().int().min(1).max(65535);

/** `.data/` of the checkout: the default `PARLEY_DATA_DIR` (the CLI looks for the admin token there too). */
export const DEFAULT_DATA_DIR = path.resolve(__dirname, '..', '.data');

const EnvSchema = z.object({
  PARLEY_HOST: z.string().default('127.0.0.1'),
  PARLEY_PORT: port.default(8080),
  PARLEY_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  PARLEY_TASK_QUEUE: z.string().min(1).default('parley'),
  PARLEY_WEBHOOK_SECRET: z.string().min(8).default('parley-dev-webhook-secret'),
  PARLEY_API_TOKEN: z.string().min(8).optional(),
  /** Admin API token (16+ characters); unset: generated once into `<data dir>/admin-token`. */
  PARLEY_ADMIN_TOKEN: z.string().min(MIN_ADMIN_TOKEN_LENGTH).optional(),
  PARLEY_SMTP_URL: z.string().optional(),
  PARLEY_PUBLIC_URL: z.string().optional(),
  PARLEY_ACCOUNT_NAME: z.string().min(1).max(200).default('Support'),
  PARLEY_CSAT_SECRET: z.string().min(16).optional(),
  PARLEY_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
});

/** Validated configuration; `TEMPORAL_ADDRESS` (and friends) are read by `worker/connection.ts`. */
export type ParleyConfig = z.output<typeof EnvSchema>;

/**
 * Reads the configuration from `env`.
 * @throws RequestValidationError naming the variable and what is wrong with it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ParleyConfig {
  return parseOrThrow(EnvSchema, env, 'environment');
}
