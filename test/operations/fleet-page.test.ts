import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { type PushClient } from '#client';
import { DEFAULT_POLICY, type Policy } from '#core';
import { Fleet, chromiumBinary } from '#devstack';
import { PolicyStore, connectEtcd } from '#etcd';
import { connectClients } from '../support/clients.js';

/** A restored gateway waits out its probation before serving: short here, so the test sees it come back. */
const QUICK_PROBATION: Policy = {
  ...DEFAULT_POLICY,
  guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 0.5, approval: { ...DEFAULT_POLICY.guardrails.approval, requiredFrom: null } },
  probation: { durationMs: 1_500 },
};

const gatewayRow = (page: Page, id: string) => page.locator(`tr[data-gateway="${id}"]`);

/** Waits for `locator`; a timeout says what the page's status line showed (refused, disconnected, …). */
const waitOn = (page: Page, locator: Locator, timeout: number): Promise<void> =>
  locator.waitFor({ timeout }).catch(async (error: Error) => {
    throw new Error(`${error.message}\nthe page said: ${await page.textContent('#status')}`);
  });

describe('fleet page', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let clients: PushClient[];
  let browser: Browser;

  beforeAll(async () => {
    // Installed on first use (as root, from Debian's packages), like etcd and the Temporal CLI.
    const executablePath = await chromiumBinary();
    fleet = await Fleet.start({ gateways: 3, worker: true, detector: true, api: true, useExisting: false });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    await new PolicyStore(etcd).publish(QUICK_PROBATION);
    clients = await connectClients(9, fleet.gatewayAddresses, ['ticker'], 'page-client');
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    clients?.forEach((c) => c.stop());
    etcd?.close();
    await fleet?.stop();
  });

  it('should show, live in a real browser, a killed gateway go out of rotation and come back', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 480 } });
    await page.goto(`${fleet.api!.url}/`);
    await page.fill('#token', fleet.api!.tokenFor('viewer'));
    await page.click('#login button');
    await waitOn(page, gatewayRow(page, 'gw-1').and(page.locator('[data-state="serving"][data-registered="true"]')), 15_000);
    // Sessions come from vitals, published once a second: the clients show up within a publish or two.
    await waitOn(page, gatewayRow(page, 'gw-1').locator('td:nth-child(4)', { hasText: /^9$/ }), 10_000);

    await fleet.killGateway('gw-1');
    // Out of rotation, with the run that took it out linked to the Temporal UI; no reload in between.
    const out = gatewayRow(page, 'gw-1').and(page.locator('[data-registered="false"]:is([data-state="degraded"], [data-state="quarantined"])'));
    await waitOn(page, out, 20_000);
    await waitOn(page, gatewayRow(page, 'gw-1').locator('a[href*="remediate%3Agw-1"]').first(), 20_000);
    // FLEET_PAGE_SCREENSHOT=docs/fleet-page.png refreshes the README's picture; otherwise the tree stays clean.
    await page.screenshot({ path: process.env.FLEET_PAGE_SCREENSHOT ?? join(tmpdir(), 'homeostat-fleet-page.png') });

    await fleet.startGateway('gw-1');
    await waitOn(page, gatewayRow(page, 'gw-1').and(page.locator('[data-state="serving"][data-registered="true"]')), 60_000);
    const states = await page.locator('tr[data-gateway]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-gateway')}:${r.getAttribute('data-state')}`));
    expect(states).toEqual(['gw-1:serving', 'gw-2:serving', 'gw-3:serving']);
    await page.close();
  });
});
