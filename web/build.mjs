#!/usr/bin/env node
// build.mjs — builds the dashboard into OUTDIR: index.html, app-HASH.js, app-HASH.css, favicon.svg
// and the files of web/static as they are (the files warden embeds), and with --embed, the C file that embeds them (scripts/embed.py).
//
//   node web/build.mjs OUTDIR [--depfile FILE] [--embed PYTHON EMBED_PY SYMBOL OUT.c]
//
// 1. The pinned packages (package-lock.json) are installed with `npm ci` into web/node_modules when
//    missing or when the lock changed since the last install (a stamp with the lock's hash).
// 2. Every label used in the sources must exist in both language tables, and the tables must hold
//    the same keys: otherwise the build fails, naming them.
// 3. esbuild bundles src/main.js (one classic script, no module loading at run time) and
//    src/app.css. Their names carry a hash of their content (the server lets browsers keep /assets/*
//    for an hour, and index.html, never cached, names the current ones). With --depfile, a
//    Makefile-style list of every input, for Meson/Ninja to rebuild when any source changes.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WEB = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.join(WEB, 'src');
const args = process.argv.slice(2);
const depIdx = args.indexOf('--depfile');
const depfile = depIdx >= 0 ? path.resolve(args.splice(depIdx, 2)[1]) : null;
const embIdx = args.indexOf('--embed');
const embed = embIdx >= 0 ? args.splice(embIdx, 5).slice(1) : null;
if (args.length !== 1 || (embed && embed.length !== 4)) {
  console.error('usage: node web/build.mjs OUTDIR [--depfile FILE] [--embed PYTHON EMBED_PY SYMBOL OUT.c]');
  process.exit(2);
}
const OUT = path.resolve(args[0]);

function fail(msg) {
  console.error('web/build.mjs: ' + msg);
  process.exit(1);
}

// ---- 1. pinned packages ----
function ensureModules() {
  const lock = path.join(WEB, 'package-lock.json');
  const want = createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  const stamp = path.join(WEB, 'node_modules', '.warden-lock-sha256');
  let have = null;
  try { have = fs.readFileSync(stamp, 'utf8').trim(); } catch { /* not installed */ }
  if (have === want && fs.existsSync(path.join(WEB, 'node_modules', 'esbuild', 'package.json'))) return;
  // Two builds (release and test) may run this at once: one installs, the other waits.
  const lockDir = path.join(WEB, '.npm-ci.lock');
  const start = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const age = Date.now() - fs.statSync(lockDir).mtimeMs;
      if (age > 600000) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() - start > 620000) fail('timed out waiting for another npm ci (web/.npm-ci.lock)');
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    try { have = fs.readFileSync(stamp, 'utf8').trim(); } catch { have = null; }
    if (have === want && fs.existsSync(path.join(WEB, 'node_modules', 'esbuild', 'package.json'))) return;
    console.error('web: npm ci (package-lock.json changed or node_modules missing)');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: WEB, stdio: ['ignore', 2, 2] });
    fs.writeFileSync(stamp, want + '\n');
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

// ---- 2. labels ----
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]);
}

async function checkLabels(files) {
  const { LABELS } = await import(pathToFileURL(path.join(SRC, 'i18n.js')).href);
  const langs = Object.keys(LABELS);
  const problems = [];
  const all = new Set(langs.flatMap((l) => Object.keys(LABELS[l])));
  for (const l of langs) {
    for (const k of all) if (!(k in LABELS[l]) || LABELS[l][k] === '') problems.push(`${l}: no label for ${k}`);
  }
  // Keys used literally, and the few built from a variable (listed here with their variants).
  const used = new Set();
  for (const f of files.filter((x) => x.endsWith('.js'))) {
    const text = fs.readFileSync(f, 'utf8').split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
    for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]);
  }
  for (const w of ['freeze', 'unfreeze']) for (const s of ['', 'Title', 'Body', 'Done']) used.add(`number.${w}${s}`);
  for (const n of ['overview', 'cases', 'numbers', 'agents', 'clusters', 'audit']) used.add(`nav.${n}`);
  used.add('login.expired');
  used.delete('nav.'); // the template `nav.${n}` above
  for (const k of used) for (const l of langs) if (!(k in LABELS[l])) problems.push(`${l}: t('${k}') has no label`);
  if (problems.length) fail('label tables incomplete:\n  ' + problems.join('\n  '));
}

// ---- 3. bundle ----
async function bundle() {
  const esbuild = await import(pathToFileURL(path.join(WEB, 'node_modules', 'esbuild', 'lib', 'main.js')).href);
  const common = { bundle: true, minify: true, write: false, metafile: true, logLevel: 'error', legalComments: 'eof',
    target: ['chrome100', 'firefox100', 'safari15'], entryNames: '[name]-[hash]', outdir: OUT };
  const js = await esbuild.build({ ...common, entryPoints: [path.join(SRC, 'app.js')], format: 'iife', charset: 'utf8' });
  const css = await esbuild.build({ ...common, entryPoints: [path.join(SRC, 'app.css')] });
  // OUTDIR holds exactly this build's files: the hashed names of earlier builds go.
  fs.mkdirSync(OUT, { recursive: true });
  const keep = new Set(['index.html', 'favicon.svg']);
  const inputs = new Set();
  const names = {};
  for (const r of [js, css]) {
    for (const f of r.outputFiles) {
      writeIfChanged(f.path, Buffer.from(f.contents));
      keep.add(path.basename(f.path));
      names[path.extname(f.path)] = path.basename(f.path);
    }
    for (const i of Object.keys(r.metafile.inputs)) inputs.add(path.resolve(i));
  }
  let html = fs.readFileSync(path.join(SRC, 'index.html'), 'utf8');
  html = html.replace('/assets/app.js"', `/assets/${names['.js']}"`).replace('/assets/app.css"', `/assets/${names['.css']}"`);
  if (!html.includes(names['.js']) || !html.includes(names['.css'])) fail('src/index.html must load /assets/app.js and /assets/app.css');
  writeIfChanged(path.join(OUT, 'index.html'), Buffer.from(html));
  writeIfChanged(path.join(OUT, 'favicon.svg'), fs.readFileSync(path.join(SRC, 'favicon.svg')));
  // web/static/*: served as they are, by name (today placeholder.css, which tests/api fetches).
  const STATIC = path.join(WEB, 'static');
  if (fs.existsSync(STATIC)) inputs.add(STATIC); // a file added there changes the folder's time
  for (const f of fs.existsSync(STATIC) ? fs.readdirSync(STATIC) : []) {
    if (keep.has(f) || f.startsWith('.') || !fs.statSync(path.join(STATIC, f)).isFile()) continue;
    writeIfChanged(path.join(OUT, f), fs.readFileSync(path.join(STATIC, f)));
    keep.add(f);
    inputs.add(path.join(STATIC, f));
  }
  for (const f of fs.readdirSync(OUT)) if (!keep.has(f)) fs.rmSync(path.join(OUT, f), { recursive: true, force: true });
  return { inputs, files: [...keep].sort().map((f) => path.join(OUT, f)) };
}

function writeIfChanged(file, data) {
  try {
    if (Buffer.compare(fs.readFileSync(file), data) === 0) {
      const now = new Date();
      fs.utimesSync(file, now, now); // newer than its inputs, for ninja
      return;
    }
  } catch { /* new */ }
  fs.writeFileSync(file, data);
}

ensureModules();
const files = walk(SRC);
await checkLabels(files);
const { inputs, files: built } = await bundle();
if (embed) {
  const [python, embedPy, symbol, outC] = embed;
  execFileSync(python, [embedPy, symbol, path.resolve(outC), ...built], { stdio: 'inherit' });
}
if (depfile) {
  const target = embed ? path.resolve(embed[3]) : path.join(OUT, 'index.html');
  const deps = new Set([...files, ...inputs, path.join(WEB, 'build.mjs'), path.join(WEB, 'package.json'), path.join(WEB, 'package-lock.json')]);
  const esc = (p) => p.replace(/([ #$])/g, '\\$1');
  fs.writeFileSync(depfile, `${esc(target)}: ${[...deps].sort().map(esc).join(' \\\n  ')}\n`);
}
