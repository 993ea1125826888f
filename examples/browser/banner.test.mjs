// The consent banner in a real browser (Debian's chromium driven by playwright-core) against the demo jar.
// Started by run-tests.sh; see the README's "Consent banner browser test".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const jar = process.env.TOLLGATE_DEMO_JAR ?? path.join(here, '..', 'target', 'tollgate-demo.jar');
const shots = path.join(here, 'target', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let demo;
let base;
let browser;
let demoLog = '';

function startDemo() {
  return new Promise((resolve, reject) => {
    demo = spawn('java', [
      '-Dtollgate.demo.consentAdmin=true',
      '-Dtollgate.demo.bannerAssets=' + path.join(here, 'node_modules', 'vanilla-cookieconsent', 'dist'),
      '-jar', jar, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error('the demo did not start in 90 s:\n' + demoLog)), 90_000);
    const onData = (chunk) => {
      demoLog += chunk.toString();
      const m = demoLog.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    demo.stdout.on('data', onData);
    demo.stderr.on('data', onData);
    demo.on('exit', (code) => { clearTimeout(timer); reject(new Error('the demo exited with ' + code + ':\n' + demoLog)); });
  });
}

async function api(pathAndQuery, init) {
  const answer = await fetch(base + pathAndQuery, init);
  return { status: answer.status, body: await answer.json() };
}

async function newVisitor() {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(base + '/');
  await ready(page);
  return { context, page };
}

async function ready(page) {
  await page.locator('html[data-tollgate-consent="ready"]').waitFor({ state: 'attached' });
}

async function reload(page) {
  await page.reload();
  await ready(page);
}

async function subjectOf(page) {
  return page.evaluate(() => window.localStorage.getItem('tollgate.subject_id'));
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

async function waitForStatus(page, text) {
  await page.locator('#consent-status', { hasText: text }).waitFor();
}

const banner = (page) => page.locator('#cc-main .cm');
const preferences = (page) => page.locator('#cc-main .pm');

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  base = await startDemo();
  // playwright-core's launch() gives chromium a fresh temporary user-data-dir of its own (removed on close)
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
  }
});

test('the page serves the banner assets and the legal links', async () => {
  const { context, page } = await newVisitor();
  assert.equal(await page.locator('#banner-missing').count(), 0, 'the banner assets must be served');
  for (const link of ['/legal/terms', '/legal/privacy', '/legal/imprint']) {
    assert.equal(await page.locator(`footer a[href="${link}"]`).count(), 1, link);
  }
  await context.close();
});

test('first visit shows the banner; "Only necessary" records only_necessary', async () => {
  const { context, page } = await newVisitor();
  await banner(page).waitFor({ state: 'visible' });
  await shot(page, '01-first-visit-banner');
  await page.getByRole('button', { name: 'Only necessary' }).first().click();
  await waitForStatus(page, 'only_necessary');
  const current = await api('/api/consent?subject_id=' + encodeURIComponent(await subjectOf(page)));
  assert.equal(current.status, 200);
  assert.equal(current.body.choice, 'only_necessary');
  assert.deepEqual(current.body.purposes, { necessary: true, analytics: false, marketing: false });
  await shot(page, '02-only-necessary-saved');
  await context.close();
});

test('"Accept all" records accept_all; reload shows no banner and keeps the choice', async () => {
  const { context, page } = await newVisitor();
  await banner(page).waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Accept all' }).first().click();
  await waitForStatus(page, 'accept_all');
  const subject = await subjectOf(page);
  const current = await api('/api/consent?subject_id=' + encodeURIComponent(subject));
  assert.equal(current.body.choice, 'accept_all');
  assert.deepEqual(current.body.purposes, { necessary: true, analytics: true, marketing: true });

  await reload(page);
  await waitForStatus(page, 'accept_all');
  assert.equal(await banner(page).isVisible(), false, 'no banner after reload');
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory('marketing')), true);
  await shot(page, '03-accept-all-after-reload');

  // the server record alone is enough: a returning subject without the cookie is not asked again
  await context.clearCookies();
  await reload(page);
  await waitForStatus(page, 'accept_all');
  assert.equal(await banner(page).isVisible(), false, 'no banner for a returning subject');
  const after = await api('/api/consent?subject_id=' + encodeURIComponent(subject));
  assert.equal(after.body.timestamp, current.body.timestamp, 'restoring must not record again');
  await context.close();
});

test('custom settings record custom; withdrawal from "Cookie settings" is a new record', async () => {
  const { context, page } = await newVisitor();
  await banner(page).waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Settings', exact: true }).first().click();
  await preferences(page).waitFor({ state: 'visible' });
  await page.locator('#cc-main input[value="analytics"]').check({ force: true });
  await shot(page, '04-custom-settings');
  await page.getByRole('button', { name: 'Save settings', exact: true }).click();
  await waitForStatus(page, 'custom');
  const subject = await subjectOf(page);
  const custom = await api('/api/consent?subject_id=' + encodeURIComponent(subject));
  assert.equal(custom.body.choice, 'custom');
  assert.deepEqual(custom.body.purposes, { necessary: true, analytics: true, marketing: false });

  await reload(page);
  await waitForStatus(page, 'custom');
  assert.equal(await banner(page).isVisible(), false, 'no banner after reload');
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory('analytics')), true);

  await page.locator('#cookie-settings').click();
  await preferences(page).waitFor({ state: 'visible' });
  await page.locator('#cc-main input[value="analytics"]').uncheck({ force: true });
  await page.getByRole('button', { name: 'Save settings', exact: true }).click();
  await waitForStatus(page, 'only_necessary');
  const withdrawn = await api('/api/consent?subject_id=' + encodeURIComponent(subject));
  assert.equal(withdrawn.body.choice, 'only_necessary');
  assert.deepEqual(withdrawn.body.purposes, { necessary: true, analytics: false, marketing: false });
  assert.notEqual(withdrawn.body.timestamp, custom.body.timestamp, 'withdrawal is a new record');
  await shot(page, '05-withdrawn');
  await context.close();
});

test('a new major policy version shows the banner again', async () => {
  const { context, page } = await newVisitor();
  await page.getByRole('button', { name: 'Accept all' }).first().click();
  await waitForStatus(page, 'accept_all');
  const before = (await api('/api/consent/policy')).body.version;

  const bumped = await api('/api/admin/consent/policy/next-major', { method: 'POST' });
  assert.equal(bumped.status, 200);
  assert.equal(bumped.body.version, (parseInt(before, 10) + 1) + '.0');

  await reload(page);
  await banner(page).waitFor({ state: 'visible' });
  await shot(page, '06-new-policy-banner-again');
  await page.getByRole('button', { name: 'Only necessary' }).first().click();
  await waitForStatus(page, 'only_necessary');
  const current = await api('/api/consent?subject_id=' + encodeURIComponent(await subjectOf(page)));
  assert.equal(current.body.version, bumped.body.version);
  assert.equal(current.body.needs_reconsent, false);
  await context.close();
});

test('a choice made on a page loaded before a new major version is recorded as shown, then asked again', async () => {
  const { context, page } = await newVisitor();
  const shown = (await api('/api/consent/policy')).body.version;
  await banner(page).waitFor({ state: 'visible' });

  // the operator publishes a new major version while this page still shows the old one
  const bumped = await api('/api/admin/consent/policy/next-major', { method: 'POST' });
  assert.equal(bumped.status, 200);

  const reloaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Accept all' }).first().click();
  await reloaded;
  await ready(page);
  const subject = await subjectOf(page);
  const history = await api('/api/consent?subject_id=' + encodeURIComponent(subject));
  assert.equal(history.body.version, shown, 'recorded under the version the page showed');
  assert.equal(history.body.needs_reconsent, true);

  await banner(page).waitFor({ state: 'visible' });
  await waitForStatus(page, 'please choose again');
  await shot(page, '07-stale-page-asked-again');
  await page.getByRole('button', { name: 'Only necessary' }).first().click();
  await waitForStatus(page, 'only_necessary');
  const current = await api('/api/consent?subject_id=' + encodeURIComponent(subject));
  assert.equal(current.body.version, bumped.body.version);
  assert.equal(current.body.needs_reconsent, false);
  await context.close();
});
