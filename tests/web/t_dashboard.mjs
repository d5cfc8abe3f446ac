// t_dashboard.mjs — the dashboard in a real browser (Debian's chromium, headless, driven by
// playwright-core from web/node_modules): log in with a token, open a case, freeze a number and see
// it frozen in the inventory, fail as a reseller to open another reseller's customer, switch the
// language, and talk to no host but warden itself.
//
//   node tests/web/t_dashboard.mjs BUILD_DIR        (tests/run.py passes the build's absolute path)
//
// Prints TAP lines (`ok N - name`, `not ok N - name`, `# diagnostics`). The registry is built with
// the command line in a fresh folder; `warden serve` listens on a free loopback port.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = path.resolve(process.argv[2] || 'build-test');
const WARDEN = path.join(BUILD, 'warden');
const CHROMIUM = process.env.WARDEN_CHROMIUM || '/usr/bin/chromium';
const DEADLINE = Date.now() + 90_000;

let n = 0, failed = 0;
function ok(cond, name, diag) {
  n++;
  if (cond) console.log(`ok ${n} - ${name}`);
  else {
    failed++;
    console.log(`not ok ${n} - ${name}`);
    if (diag) for (const l of String(diag).split('\n')) console.log('# ' + l);
  }
  return cond;
}
// Runs one check; an exception is a failure with its message (and a screenshot path when there is one).
async function step(name, fn) {
  try {
    const r = await fn();
    ok(r !== false, name, typeof r === 'string' ? r : undefined);
  } catch (e) {
    let diag = String((e && e.stack) || e).split('\n').slice(0, 6).join('\n');
    if (page) {
      try {
        const shot = path.join(work, `fail-${n + 1}.png`);
        await page.screenshot({ path: shot });
        diag += `\nscreenshot: ${shot}\nurl: ${page.url()}`;
        const text = (await page.textContent('main').catch(() => '')) || '';
        diag += `\nmain: ${text.slice(0, 400)}`;
      } catch { /* the browser is gone */ }
    }
    ok(false, name, diag);
  }
}
function bail(msg) {
  console.log(`not ok ${++n} - ${msg}`);
  process.exitCode = 1;
}

// ---- the registry, built with the command line ----
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-web-'));
const env = { ...process.env, WARDEN_DB: path.join(work, 'w.db'), WARDEN_NOW: '2026-03-02T09:00:00+08:00',
  WARDEN_ACTOR: 'web-test', PATH: `${BUILD}:${process.env.PATH}`, LC_ALL: 'C.UTF-8' };
delete env.WARDEN_KEY_FILE;

function sh(script) {
  return execFileSync('bash', ['-c', script], { cwd: work, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function token(role, scope) {
  const out = sh(`warden token create --role ${role}${scope ? ' --scope ' + scope : ''} --note web-test`);
  const m = out.match(/wdn_[0-9a-f]+_[0-9a-f]+/);
  if (!m) throw new Error('no token in: ' + out);
  return m[0];
}

// A platform pl; distributors d1, d2; resellers ag1 (under d1) and ag2 (under d2); customers c1, c2
// under ag1 and c9 under ag2, documents in order; c1 holds 02083721590 (active), c2 13800138000, c9
// 02083721592; case 1 (EN-HARASS, opened for review) is about c2's mobile.
const FIXTURE = String.raw`
set -e
cat > parties.csv <<'CSV'
party_id,kind,name
PL,organisation,平台公司
D1,organisation,总经销一
D2,organisation,总经销二
A1,organisation,代理一
A2,organisation,代理二
O1,organisation,一号科技有限公司
O2,organisation,二号贸易有限公司
O9,organisation,九号别家有限公司
CSV
cat > accounts.csv <<'CSV'
account_id,party_id,role,parent_id
pl,PL,platform,
d1,D1,distributor,pl
d2,D2,distributor,pl
ag1,A1,agent,d1
ag2,A2,agent,d2
c1,O1,customer,ag1
c2,O2,customer,ag1
c9,O9,customer,ag2
CSV
cat > documents.csv <<'CSV'
party_id,type,number,role
O1,uscc,91350100M000100Y43,holder
O1,resident,11010519491231002X,legal_rep
O2,uscc,91350100M000100Y43,holder
O2,resident,11010519491231002X,legal_rep
O9,uscc,91350100M000100Y43,holder
O9,resident,11010519491231002X,legal_rep
CSV
cat > numbers.csv <<'CSV'
number,kind,province
4006328888,400,44
4008101357,400,44
02083721590,fixed,
02083721591,fixed,
02083721592,fixed,
13800138000,mobile,44
CSV
warden import parties parties.csv >/dev/null
warden import accounts accounts.csv >/dev/null
warden import documents documents.csv >/dev/null
warden number import numbers.csv >/dev/null
warden number reserve 02083721590 13800138000 02083721592 >/dev/null
warden number activate --customer c1 02083721590 >/dev/null
warden number activate --customer c2 13800138000 >/dev/null
warden number activate --customer c9 02083721592 >/dev/null
warden case open EN-HARASS --subject number:13800138000 --review --note 'complaints of harassing calls' >/dev/null
`;

let server = null, browser = null, page = null, serverErr = '';

async function startServer() {
  server = spawn(WARDEN, ['serve', '--listen', '127.0.0.1:0', '--db', env.WARDEN_DB, '--threads', '2'],
    { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', (d) => { serverErr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('warden serve did not say where it listens:\n' + out + serverErr)), 20000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    server.on('exit', (code) => reject(new Error(`warden serve exited (${code}):\n${out}${serverErr}`)));
  });
}

async function main() {
  if (!fs.existsSync(WARDEN)) return bail(`no ${WARDEN}: build first`);
  if (!fs.existsSync(CHROMIUM)) return bail(`no ${CHROMIUM}: scripts/deps.sh installs Debian's chromium`);
  const pw = path.join(ROOT, 'web', 'node_modules', 'playwright-core', 'index.mjs');
  if (!fs.existsSync(pw)) return bail('no web/node_modules/playwright-core: the build installs it (npm ci in web/)');
  const { chromium } = await import(pathToFileURL(pw).href);

  try {
    sh(FIXTURE);
  } catch (e) {
    return bail('the fixture registry: ' + (e.stderr || e.message));
  }
  const tokens = { platform: token('platform'), reseller: token('reseller', 'ag1'), bogus: 'wdn_0000000000000000_' + '0'.repeat(64) };
  const base = await startServer();
  const origin = new URL(base).origin;

  const args = ['--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-extensions',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args, timeout: 30000 });
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/London', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(8000);
  page = await context.newPage();
  const requests = [], pageErrors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // an answer of 4xx/5xx is logged by chromium as "Failed to load resource": expected here (the
  // refusals are part of the test); any other console error is the page's own
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push('console: ' + m.text());
  });

  const main = page.locator('main');

  async function login(tok) {
    await page.goto(base + '/#/login');
    await page.fill('[data-test=token]', tok);
    await page.click('[data-test=login-submit]');
  }

  await step('the dashboard is served by warden at / with its assets', async () => {
    const res = await page.goto(base + '/');
    if (res.status() !== 200) return `GET / answered ${res.status()}`;
    await page.waitForSelector('[data-test=login]');
    return true;
  });

  await step('a bad token is refused on the login screen (401 shown)', async () => {
    await login(tokens.bogus);
    await page.waitForSelector('[data-test=error][data-status="401"]');
    return (await page.evaluate(() => sessionStorage.getItem('warden.token'))) === null;
  });

  await step('log in with a platform token: the overview, the role shown, the token in sessionStorage', async () => {
    await login(tokens.platform);
    await page.waitForSelector('main[data-page=overview] [data-test=tile-open] .tile-value');
    const me = await page.textContent('[data-test=me]');
    const kept = await page.evaluate(() => sessionStorage.getItem('warden.token'));
    const open = (await page.textContent('[data-test=tile-open] .tile-value')).trim();
    await page.waitForSelector('[data-test=chart-states] [data-key=review]');
    return (/platform|平台/.test(me) && kept === tokens.platform && open === '1') || `me: ${me}; kept: ${!!kept}; open cases: ${open}`;
  });

  await step('the language switch changes the labels (English ⇄ 中文) and back', async () => {
    const nav = page.locator('[data-nav=cases]');
    const before = (await nav.textContent()).trim();
    await page.click('header [data-test=lang]');
    await page.waitForFunction((b) => document.querySelector('[data-nav=cases]').textContent.trim() !== b, before);
    const after = (await nav.textContent()).trim();
    const head1 = await page.textContent('[data-nav=numbers]');
    await page.click('header [data-test=lang]');
    await page.waitForFunction((b) => document.querySelector('[data-nav=cases]').textContent.trim() === b, before);
    const pair = [before, after].sort().join('|');
    return (pair === 'Cases|案件' && /号码|Numbers/.test(head1)) || `labels: ${before} -> ${after}`;
  });

  await step('open a case from the list: its facts, timeline and the actions its state allows', async () => {
    await page.goto(base + '/#/cases?state=open');
    await page.click('[data-test=case-list] tr[data-case="1"] a');
    await page.waitForSelector('[data-test=case] [data-test=timeline] li');
    const kind = await page.textContent('[data-test=case] .facts');
    const steps = await page.locator('[data-test=timeline] li').count();
    const actions = await page.locator('[data-test=actions] [data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));
    const state = await page.getAttribute('h1 .badge', 'data-value');
    return (/EN-HARASS/.test(kind) && /13800138000/.test(kind) && steps >= 2 && state === 'review'
      && actions.includes('confirm') && actions.includes('dismiss'))
      || `state ${state}, ${steps} timeline entries, actions ${actions}`;
  });

  await step('a case action asks for confirmation, then changes the state (EN-HARASS confirmed: shut, the number frozen)', async () => {
    await page.click('[data-test=actions] [data-action=confirm]');
    await page.waitForSelector('dialog[data-test=confirm]');
    await page.click('[data-test=confirm-ok]');
    await page.waitForSelector('h1 .badge[data-value=shut]');
    const timeline = await page.textContent('[data-test=timeline]');
    const actions = await page.locator('[data-test=actions] [data-action]').evaluateAll((els) => els.map((e) => e.dataset.action));
    await page.goto(base + '/#/numbers/13800138000');
    await page.waitForSelector('[data-test=number] h1 .badge');
    const nstate = await page.getAttribute('[data-test=number] h1 .badge', 'data-value');
    return (/confirmed/.test(timeline) && actions.includes('restore') && nstate === 'frozen')
      || `actions now ${actions}; number ${nstate}; timeline: ${timeline.slice(0, 300)}`;
  });

  // ---- freeze a number, see it frozen in the inventory ----
  await step('freeze a number (with confirmation and a reason): the number page shows it frozen', async () => {
    await page.goto(base + '/#/numbers/02083721590');
    await page.waitForSelector('[data-test=number] [data-test=freeze]');
    await page.click('[data-test=freeze]');
    await page.waitForSelector('dialog[data-test=confirm]');
    // cancelling changes nothing
    await page.click('[data-test=confirm-cancel]');
    const still = await page.getAttribute('h1 .badge', 'data-value');
    if (still !== 'active') return `after cancel the state is ${still}`;
    await page.click('[data-test=freeze]');
    await page.fill('[data-test=confirm-input]', 'web test: complaints of harassing calls');
    await page.click('[data-test=confirm-ok]');
    await page.waitForSelector('h1 .badge[data-value=frozen]');
    await page.waitForSelector('[data-test=unfreeze]');
    return true;
  });

  await step('the frozen number is in the inventory filtered by state frozen, and its history has the freeze', async () => {
    await page.goto(base + '/#/numbers?resourceStatus=frozen');
    await page.waitForSelector('[data-test=number-list] tr[data-number="02083721590"][data-state=frozen]');
    const rows = await page.locator('[data-test=number-list] tbody tr[data-number]').count();
    const others = await page.locator('[data-test=number-list] tbody tr[data-number]:not([data-state=frozen])').count();
    const chart = await page.locator('[data-test=chart-nstate] [data-key=frozen]').count();
    await page.goto(base + '/#/numbers/02083721590');
    await page.waitForSelector('[data-test=history] tbody tr');
    const hist = await page.textContent('[data-test=history]');
    return (rows === 2 && others === 0 && chart === 1 && /freeze/i.test(hist)) || `rows ${rows} (${others} not frozen), chart ${chart}, history: ${hist.slice(0, 300)}`;
  });

  await step('as a reseller: its own customer opens; another reseller\'s customer is refused on the page', async () => {
    await page.click('[data-test=logout]');
    await page.waitForSelector('[data-test=login]');
    await login(tokens.reseller);
    await page.waitForSelector('[data-test=me]');
    await page.goto(base + '/#/customers/c1');
    await page.waitForSelector('[data-test=customer]');
    await page.goto(base + '/#/customers/c9');
    const err = page.locator('main [data-test=error]');
    await err.waitFor();
    const status = await err.getAttribute('data-status');
    const text = await err.textContent();
    const leaked = await page.locator('[data-test=customer]').count();
    return ((status === '404' || status === '403') && leaked === 0) || `status ${status}: ${text}`;
  });

  await step('as a reseller: freezing another reseller\'s number is refused', async () => {
    await page.goto(base + '/#/numbers/02083721592');
    const err = page.locator('main [data-test=error]');
    await err.waitFor();
    return ['403', '404'].includes(await err.getAttribute('data-status'));
  });

  await step('as a reseller: the audit log (platform and auditor only) answers 403, shown as such; case actions are not offered', async () => {
    const tabs = await page.locator('header nav [data-nav]').evaluateAll((els) => els.map((e) => e.dataset.nav));
    await page.goto(base + '/#/audit');
    const err = page.locator('main [data-test=error]').first();
    await err.waitFor();
    const status = await err.getAttribute('data-status');
    await page.goto(base + '/#/cases/1');
    await page.waitForSelector('[data-test=actions] [data-action]');
    const enabled = await page.locator('[data-test=actions] [data-action]:not([disabled])').count();
    return (status === '403' && !tabs.includes('audit') && enabled === 0) || `audit ${status}, tabs ${tabs}, ${enabled} actions enabled`;
  });

  await step('a token no longer accepted sends the browser back to the login screen with the reason', async () => {
    await page.evaluate((t) => sessionStorage.setItem('warden.token', t), tokens.bogus);
    await page.goto(base + '/#/cases');
    await page.reload();
    await page.waitForSelector('[data-test=login] .error');
    return true;
  });

  await step('no request to any host but warden (every asset served by warden itself)', async () => {
    const foreign = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:'));
    return foreign.length === 0 || 'foreign requests:\n' + [...new Set(foreign)].slice(0, 10).join('\n');
  });

  await step('no script error in the page', async () => pageErrors.length === 0 || pageErrors.slice(0, 5).join('\n'));
}

try {
  await Promise.race([main(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 90 s')), DEADLINE - Date.now()).unref())]);
} catch (e) {
  bail('the browser test stopped: ' + String((e && e.message) || e).split('\n').slice(0, 8).join('\n# '));
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', (code, sig) => r({ code, sig })));
    server.kill('SIGTERM');
    const res = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 10000))]);
    if (!res) server.kill('SIGKILL');
    ok(res && res.code === 0 && !/Sanitizer|runtime error:/.test(serverErr), 'warden serve stops cleanly on SIGTERM (no sanitizer report)',
      res ? `exit ${res.code} ${res.sig || ''}\n${serverErr.slice(-1500)}` : 'still running 10 s after SIGTERM');
  }
  if (failed === 0 && !process.exitCode) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`# work folder kept: ${work}`);
}
