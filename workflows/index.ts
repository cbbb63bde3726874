/** Workflow entry point for the worker bundle: every Parley workflow type. */
export { messagingThread } from './thread';
export { conversation } from './conversation';
export { routing } from './routing';
export { account } from './account';
