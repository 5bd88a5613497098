// The web console in a real Chromium (Debian's, driven by playwright-core) against the real API,
// worker and engine: sign in, create a pg-database from the kind's form (the API's refusal shown
// on the field first), follow its first run live, preview a change and read the plan, reveal the
// password as an admin and find the reveal in the audit log, and see drift made behind Gantry's
// back in the fleet view, and a viewer refused. Any console error or page error fails it, except the
// browser's own lines for the refusals the test provokes. Screenshots go to .data/screenshots/console-*.png.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gantry, startGantry } from "./gantry.ts";
import { admin } from "./pg-server.ts";

const SCREENSHOTS = join(process.cwd(), ".data", "screenshots");
const ENGINE_TIMEOUT = 150_000;
/** The browser's own lines for the refusals the test provokes: a wrong token, an invalid spec, a viewer's reveal and audit log. */
const PROVOKED = { 401: 1, 422: 1, 403: 2 };
const refusal = (line: string) => /the server responded with a status of (\d+)/.exec(line)?.[1];

/**
 * Runs in the page (a function, not a string: the console's CSP forbids evaluating strings). The
 * tests compile without the DOM's types, hence the narrow view of `document`.
 */
function logFollowingWithLines(): boolean {
  const { document } = globalThis as unknown as {
    document: { querySelector(selector: string): { textContent: string | null } | null };
  };
  const state = document.querySelector('[data-testid="log-state"]');
  const log = document.querySelector('[data-testid="live-log"]');
  return state?.textContent === "● following live" && /^starting$/m.test(log?.textContent ?? "");
}

let gantry: Gantry;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `console-${name}.png`), fullPage: true });
}

/** A 1366×768 laptop shows every page without sideways scrolling. */
async function fitsTheScreen(): Promise<void> {
  // A string: the tests compile without the DOM's types; the browser evaluates it.
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
  expect(overflow).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  const executablePath = process.env.GANTRY_CHROMIUM;
  if (!executablePath) {
    throw new Error(
      "GANTRY_CHROMIUM is unset: run through `npm test` (it installs Debian's chromium as root) or point it at a Chromium",
    );
  }
  await mkdir(SCREENSHOTS, { recursive: true });
  [gantry, browser] = await Promise.all([
    startGantry({ GANTRY_DRIFT_INTERVAL_SECONDS: "0" }),
    // The sandbox needs user namespaces that a root test run does not have.
    chromium.launch({ executablePath, args: ["--no-sandbox"] }),
  ]);
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await gantry?.stop();
});

describe("the web console", () => {
  const name = `ui-${randomBytes(3).toString("hex")}`;
  let stackId = "";

  it("signs in with a token and refuses a wrong one", async () => {
    await page.goto(`${gantry.baseUrl}/ui/`);
    await page.getByLabel("Token").fill("gnt_not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/^401 /);

    await page.getByLabel("Token").fill(gantry.adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Stacks" }).waitFor();
    expect(await page.evaluate<string | null>('sessionStorage.getItem("gantry.token")')).toBe(
      gantry.adminToken,
    );
    await fitsTheScreen();
  });

  it(
    "creates a pg-database from the kind's form, shows the API's refusal on the field, and follows the run live",
    async () => {
      await page.getByRole("link", { name: "New stack" }).first().click();
      await page.getByLabel("Name").fill(name);
      // The form starts from the schema's defaults and describes each field.
      const limit = page.locator("#root_connectionLimit");
      await expect.poll(() => limit.inputValue()).toBe("20");
      await page.getByText("Most concurrent connections").first().waitFor();

      await limit.fill("5000");
      await page.getByRole("button", { name: "Create" }).click();
      const fieldError = page.locator("#root_connectionLimit__error");
      await expect.poll(() => fieldError.textContent()).toMatch(/1000/);
      await shot("form-field-error");
      await fitsTheScreen();

      await limit.fill("10");
      await page.getByLabel("pgcrypto").check();
      await page.getByRole("button", { name: "Create" }).click();
      await page.waitForURL(/#\/stacks\/(?!new$)[^/]+$/);
      stackId = page.url().split("/").at(-1) ?? "";

      const log = page.getByTestId("live-log");
      // The log fills from the event stream while the run goes (engine lines shown while it still
      // follows), and the stream's end closes it.
      await page.waitForFunction(logFollowingWithLines, undefined, {
        polling: "raf",
        timeout: ENGINE_TIMEOUT,
      });
      await expect.poll(() => log.textContent(), { timeout: ENGINE_TIMEOUT }).toMatch(/^create /m);
      await expect
        .poll(() => page.getByTestId("log-state").textContent(), { timeout: ENGINE_TIMEOUT })
        .toBe("succeeded");
      expect(await log.textContent()).toMatch(/summary: .*create/);
      await expect
        .poll(() => page.getByTestId("stack-status").textContent(), { timeout: 10_000 })
        .toBe("ready");

      const stack = (await gantry.call("GET", `/v1/stacks/${stackId}`)).body;
      expect(stack).toMatchObject({
        name,
        status: "ready",
        spec: { connectionLimit: 10, extensions: ["pgcrypto"] },
      });
      expect(await page.getByTestId("output-password").textContent()).toBe("[secret]");
      await fitsTheScreen();
      await shot("stack-ready");
    },
    ENGINE_TIMEOUT,
  );

  it(
    "previews a change with the per-resource plan before applying it",
    async () => {
      await page.getByRole("button", { name: "Edit" }).click();
      const limit = page.locator("#root_connectionLimit");
      await expect.poll(() => limit.inputValue()).toBe("10");
      await limit.fill("25");
      await page.getByRole("button", { name: "Preview changes" }).click();
      const plan = page.getByRole("table", { name: "Plan" });
      await plan.waitFor({ timeout: ENGINE_TIMEOUT });
      const rows = await plan.locator("tbody tr").allTextContents();
      expect(
        rows.some(
          (row) => /update/.test(row) && /connectionLimit/.test(row) && /10/.test(row) && /25/.test(row),
        ),
      ).toBe(true);
      // A preview stores nothing.
      expect((await gantry.call("GET", `/v1/stacks/${stackId}`)).body.spec.connectionLimit).toBe(10);
      await fitsTheScreen();
      await shot("preview-plan");
    },
    ENGINE_TIMEOUT,
  );

  it("reveals the password to an admin and the audit log shows the reveal", async () => {
    await page.goto(`${gantry.baseUrl}/ui/#/stacks/${stackId}`);
    await page.getByRole("button", { name: "Reveal secrets" }).click();
    const password = page.getByTestId("output-password");
    // Revealing reads the Pulumi state through the engine: seconds, not milliseconds.
    await expect.poll(() => password.textContent(), { timeout: 60_000 }).not.toBe("[secret]");
    // The value shown is the real one: the owner role signs in with it.
    const { host, port, database, username } = (await gantry.call("GET", `/v1/stacks/${stackId}`)).body
      .outputs;
    const owner = new pg.Client({
      host,
      port,
      database,
      user: username,
      password: (await password.textContent()) ?? "",
    });
    await owner.connect();
    try {
      expect((await owner.query("SELECT current_user AS who")).rows[0].who).toBe(username);
    } finally {
      await owner.end();
    }
    await shot("revealed");

    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByLabel("Action").fill("stack.reveal");
    const entries = page.getByRole("table", { name: "Audit log" }).locator("tbody tr");
    await expect.poll(() => entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain(stackId);
    await fitsTheScreen();
    await shot("audit-log");
  });

  it(
    "shows drift made behind Gantry's back in the fleet view",
    async () => {
      const { database } = (await gantry.call("GET", `/v1/stacks/${stackId}`)).body.outputs;
      await admin(`ALTER ROLE "${database}" CONNECTION LIMIT 3`);
      await page.goto(`${gantry.baseUrl}/ui/#/stacks/${stackId}`);
      await page.getByRole("button", { name: "Check drift" }).click();
      const check = page.locator('[data-testid="selected-operation"][data-kind="drift-check"]');
      await check.waitFor();
      await expect
        .poll(() => check.getByTestId("log-state").textContent(), { timeout: ENGINE_TIMEOUT })
        .toBe("succeeded");

      await page.getByRole("link", { name: "Drift" }).click();
      const card = page.getByTestId("drifted-stack");
      await card.waitFor({ timeout: 15_000 });
      expect(await card.textContent()).toContain(name);
      const row = await card.locator("tbody tr").first().textContent();
      expect(row).toMatch(/connectionLimit.*10.*3/);
      expect(await page.getByTestId("drift-count-drifted").textContent()).toMatch(/^1/);
      await fitsTheScreen();
      await shot("fleet-drift");
    },
    ENGINE_TIMEOUT,
  );

  it("lists the team's stacks with status, drift and last operation, filtered", async () => {
    await page.getByRole("link", { name: "Stacks" }).first().click();
    const rows = page.getByRole("table", { name: "Stacks" }).locator("tbody tr");
    await page.getByLabel("Status").selectOption("ready");
    await page.getByLabel("Filter by name").fill(name);
    await expect
      .poll(() => rows.allTextContents())
      .toEqual([expect.stringMatching(/ready.*drifted.*drift-check.*succeeded/)]);
    expect(await rows.first().textContent()).toContain(name);
    await fitsTheScreen();
    await shot("stacks");
    await page.getByLabel("Status").selectOption("failed");
    await expect.poll(() => rows.count()).toBe(0);
  });

  it("shows a viewer the API's refusals of a reveal and of the audit log", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Token").fill(gantry.viewerToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.goto(`${gantry.baseUrl}/ui/#/stacks/${stackId}`);
    await page.getByRole("button", { name: "Reveal secrets" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/^403 forbidden: .*admin/);
    expect(await page.getByTestId("output-password").textContent()).toBe("[secret]");
    await page.getByRole("link", { name: "Audit log" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/^403 forbidden/);
  });

  it("has had no console errors or page errors but the browser's lines for the refusals", () => {
    expect(problems.filter((p) => !((refusal(p) ?? "") in PROVOKED))).toEqual([]);
    for (const [status, count] of Object.entries(PROVOKED)) {
      expect(problems.filter((p) => refusal(p) === status)).toHaveLength(count);
    }
  });
});
