// Helpers of the browser tests: a private `cocity serve` on a free loopback
// port with a temporary data folder, Debian's chromium through
// playwright-core, axe-core checks and screenshots.
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const CHROMIUM = process.env.COCITY_CHROMIUM || "/usr/bin/chromium";

export function parseArgs(argv) {
  const args = { cocity: "", repo: "", screenshots: "" };
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === "--cocity") args.cocity = argv[++i];
    else if (argv[i] === "--repo") args.repo = argv[++i];
    else if (argv[i] === "--screenshots") args.screenshots = argv[++i];
  }
  if (!args.repo) args.repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
  if (!args.screenshots) args.screenshots = path.join(args.repo, "docs", "screenshots");
  if (!args.cocity) args.cocity = path.join(args.repo, "build/release/src/cli/cocity");
  return args;
}

// The modules the tests use live in web/node_modules (one `npm ci`).
export function webRequire(repo) {
  return createRequire(path.join(repo, "web", "package.json"));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export class Server {
  constructor(cocity, repo) {
    this.cocity = cocity;
    this.repo = repo;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "cocity-web-test-"));
    this.dataDir = path.join(this.dir, "data");
    this.proc = null;
    this.port = 0;
    this.log = path.join(this.dir, "server.log");
  }

  get base() {
    return `http://localhost:${this.port}`;
  }

  async start() {
    fs.mkdirSync(this.dataDir, { recursive: true });
    const out = execFileSync(this.cocity, ["key", "create", "--tenant", "*", "--role", "admin", "--data-dir", this.dataDir], {
      encoding: "utf8",
    });
    const m = /ck_[A-Za-z0-9_]+/.exec(out);
    if (!m) throw new Error("cocity key create printed no key: " + out);
    this.apiKey = m[0];
    this.port = await freePort();
    const logFd = fs.openSync(this.log, "w");
    this.proc = spawn(this.cocity, ["serve", "--port", String(this.port), "--bind", "127.0.0.1", "--data-dir", this.dataDir, "--threads", "2"], {
      env: { ...process.env, COCITY_WEB_DIR: path.join(this.repo, "web", "dist"), COCITY_LOG_LEVEL: "warn" },
      stdio: ["ignore", logFd, logFd],
    });
    this.proc.on("exit", (code) => {
      this.exited = code;
    });
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      if (this.exited !== undefined) throw new Error("cocity serve exited: " + fs.readFileSync(this.log, "utf8"));
      try {
        const r = await fetch(`http://127.0.0.1:${this.port}/health`);
        if (r.status < 500) return;
      } catch {
        /* not yet */
      }
      await sleep(100);
    }
    throw new Error("cocity serve did not start within 30 s");
  }

  async stop() {
    if (this.proc && this.exited === undefined) {
      this.proc.kill("SIGTERM");
      const deadline = Date.now() + 10000;
      while (this.exited === undefined && Date.now() < deadline) await sleep(50);
      if (this.exited === undefined) this.proc.kill("SIGKILL");
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // A JSON request to the API; returns {status, body}.
  async api(method, p, body, headers = {}) {
    const r = await fetch(`http://127.0.0.1:${this.port}/api/v1${p}`, {
      method,
      headers: { "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await r.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: r.status, body: json, headers: r.headers };
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export async function launch(repo) {
  const { chromium } = webRequire(repo)("playwright-core");
  // playwright-core gives every launch a fresh temporary --user-data-dir of
  // its own (it refuses one passed in args; launchPersistentContext would
  // bind all pages to one context, and the tests need separate ones).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 900 } };

// Runs axe-core with the WCAG 2.1 A/AA rules; returns the violations.
export async function axe(page, repo) {
  const source = fs.readFileSync(webRequire(repo).resolve("axe-core/axe.min.js"), "utf8");
  await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
    }));
  });
}

let failures = 0;
const results = [];
const watched = [];

// Pages whose address and text a failing step prints, to tell what the
// browser showed.
export function watch(page, label) {
  watched.push({ page, label });
}

async function describeWatched() {
  for (const { page, label } of watched) {
    if (page.isClosed()) continue;
    try {
      const text = await page.locator("body").innerText({ timeout: 2000 });
      console.log(`---- ${label}: ${page.url()}\n${text.slice(0, 2000)}`);
    } catch (e) {
      console.log(`---- ${label}: ${page.url()} (no text: ${e})`);
    }
  }
}

export async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    results.push({ name, ok: false, ms: Date.now() - t0 });
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
    await describeWatched();
    throw e;
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error("assertion failed: " + message);
}

export function summary() {
  return { failures, results };
}
