/** What every admin route reads from its request: the validated `:id` and who makes the change. */
import type { FastifyRequest } from 'fastify';
import { ActorHeader, IdParams } from './adminSchemas';
import { parseOrThrow } from './validation';

/** Who makes the change: the `X-Parley-Actor` header (1–128 characters), else `admin`. */
export const actorOf = (req: FastifyRequest): string => parseOrThrow(ActorHeader, req.headers['x-parley-actor'], 'X-Parley-Actor header');

/** The `:id` route parameter (1–128 characters). */
export const idOf = (req: FastifyRequest): string => parseOrThrow(IdParams, req.params, 'path').id;
