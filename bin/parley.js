#!/usr/bin/env node
// `npx parley ...`: runs the TypeScript CLI through tsx (no build step).
require('tsx/cjs');
require('../client/cli.ts');
