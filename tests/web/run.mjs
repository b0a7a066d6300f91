#!/usr/bin/env node
// Browser tests of the web app (ctest label "browser"):
//   node tests/web/run.mjs --cocity build/release/src/cli/cocity --repo . \
//       [--screenshots DIR]   (default docs/screenshots; ctest uses the build's)
// Starts its own `cocity serve` (temporary data folder, web_dir=web/dist),
// creates the first admin through an admin API key, and drives Debian's
// chromium through playwright-core:
//   1. a moderator (invited by the admin, account accepted on /join) creates
//      a process and a survey from the idea catalogue, invites 3 people by
//      CSV; they answer on a phone-sized viewport (one saves a draft first);
//      the results page shows their ratings; the results are published,
//   2. a live session with 3 phone participants and the projector view
//      updating (skipped when the server has no live-session API),
//   3. axe-core finds no WCAG 2.1 A/AA violation on the key pages,
//   4. screenshots of the key pages go to --screenshots (docs/screenshots/).
// Exit code 0: passed; 1: failed; 77: skipped (no chromium or no web/dist).
import fs from "node:fs";
import path from "node:path";
import { assert, axe, CHROMIUM, DESKTOP, launch, parseArgs, PHONE, Server, sleep, step, summary, watch } from "./lib.mjs";

const args = parseArgs(process.argv);
const repo = args.repo;
const shots = args.screenshots;

for (const [what, file] of [
  ["chromium", CHROMIUM],
  ["the built web app (scripts/build-web.sh)", path.join(repo, "web/dist/index.html")],
  ["playwright-core (npm ci in web/)", path.join(repo, "web/node_modules/playwright-core/package.json")],
  ["cocity", args.cocity],
]) {
  if (!fs.existsSync(file)) {
    console.log(`SKIP: ${what} not found at ${file}`);
    process.exit(77);
  }
}

const ADMIN = { email: "admin@example.org", name: "Ada Admin", password: "admin-password-1" };
const MOD = { email: "moderator@example.org", name: "Moritz Moderator", password: "moderator-password-1" };
const PEOPLE = [
  { email: "anna@musterstadt.de", name: "Anna", municipality: "Musterstadt", state: "DE-BY", size: "under_5k", role: "mayor", ratings: [5, 2, 4] },
  { email: "ben@beispielheim.de", name: "Ben", municipality: "Beispielheim", state: "DE-NW", size: "20k_100k", role: "it", ratings: [4, 3, 4] },
  { email: "cem@ideenfeld.de", name: "Cem", municipality: "Ideenfeld", state: "DE-SN", size: "5k_20k", role: "administration", ratings: [5, 1, 3] },
];
const IDEAS = ["air-quality-network", "smart-parking", "smart-street-lighting"];

const a11y = []; // {page, violations}
const server = new Server(args.cocity, repo);
let chrome = null;

async function checkA11y(page, name) {
  const violations = await axe(page, repo);
  a11y.push({ name, violations });
  if (violations.length) console.log(`axe: ${name}: ${JSON.stringify(violations, null, 1)}`);
}

async function shot(page, name, fullPage = false) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage, animations: "disabled" });
}

function tokensFromOutbox(mails, email, kind) {
  const m = mails.filter((x) => x.to === email).map((x) => new RegExp(`/${kind}#token=([0-9a-f]+)`).exec(x.body)).filter(Boolean);
  assert(m.length > 0, `a ${kind} link for ${email} in the outbox`);
  return m[m.length - 1][1];
}

async function main() {
  await server.start();
  const boot = await server.api("POST", "/cocreation/bootstrap", ADMIN, { Authorization: `Bearer ${server.apiKey}` });
  assert(boot.status === 201, `bootstrap 201, got ${boot.status} ${JSON.stringify(boot.body)}`);
  chrome = await launch(repo);
  const browser = chrome.browser;

  // The app's own routes load the app (SPA fallback), the API does not.
  await step("server: app routes serve index.html, /api/ stays 404", async () => {
    for (const p of ["/join", "/survey", "/live/ABC123", "/admin/surveys/1"]) {
      const r = await fetch(`${server.base}${p}`.replace("localhost", "127.0.0.1"));
      const text = await r.text();
      assert(r.status === 200 && text.includes('<div id="app">'), `${p} serves the app (${r.status})`);
      assert((r.headers.get("cache-control") || "").includes("no-cache"), `${p} is no-cache`);
    }
    const api = await fetch(`http://127.0.0.1:${server.port}/api/v1/no-such-thing`);
    assert(api.status === 404, "unknown API path is 404");
    const html = await (await fetch(`http://127.0.0.1:${server.port}/`)).text();
    const asset = /\/assets\/[^"]+\.js/.exec(html)[0];
    const a = await fetch(`http://127.0.0.1:${server.port}${asset}`);
    assert(/immutable/.test(a.headers.get("cache-control") || ""), "hashed assets are immutable");
  });

  // --- the admin invites a moderator; the moderator accepts on /join -----
  const admin = await browser.newContext({ ...DESKTOP, locale: "en-GB" });
  const adminPage = await admin.newPage();
  await step("admin logs in and invites a moderator", async () => {
    await adminPage.goto(`${server.base}/login`);
    await adminPage.getByLabel("E-mail address").fill(ADMIN.email);
    await adminPage.getByLabel("Password").fill(ADMIN.password);
    await adminPage.getByRole("button", { name: "Log in" }).click();
    await adminPage.getByRole("link", { name: "Administration" }).click();
    const card = adminPage.locator("section", { has: adminPage.getByRole("heading", { name: "Invite a person to an account" }) });
    await card.getByLabel("E-mail address").fill(MOD.email);
    await card.getByLabel("Role").selectOption("moderator");
    await card.getByRole("button", { name: "Send invitation" }).click();
    await adminPage.getByText(`Invitation for ${MOD.email} is in the outbox.`).waitFor();
  });

  const moderator = await browser.newContext({ ...DESKTOP, locale: "en-GB" });
  const mod = await moderator.newPage();
  watch(mod, "moderator");
  await step("moderator accepts the invitation (/join) and logs in", async () => {
    const mails = await adminPage.evaluate(() => fetch("/api/v1/outbox").then((r) => r.json()));
    const token = tokensFromOutbox(mails, MOD.email, "join");
    await mod.goto(`${server.base}/join#token=${token}`);
    await mod.getByLabel("Name").fill(MOD.name);
    await mod.getByLabel("Password", { exact: true }).fill(MOD.password);
    await mod.getByLabel("Repeat the password").fill(MOD.password);
    await checkA11y(mod, "join");
    await mod.getByRole("button", { name: "Create account" }).click();
    await mod.getByText("Your account is ready").waitFor();
    await mod.goto(`${server.base}/login?next=/admin`);
    await mod.getByLabel("E-mail address").fill(MOD.email);
    await mod.getByLabel("Password").fill(MOD.password);
    await mod.getByRole("button", { name: "Log in" }).click();
    await mod.getByRole("heading", { name: "New process" }).waitFor();
  });

  // --- a process and a survey from the catalogue ---------------------------
  let surveyId = 0;
  let processId = 0;
  await step("moderator creates a process and a survey from the catalogue", async () => {
    await mod.getByLabel("Title").fill("Online survey spring 2026");
    await mod.getByLabel("Description").fill("Which ideas should our municipalities try first?");
    await mod.locator("#np-phase").fill("Survey");
    await mod.locator("#np-start").fill("2026-03-01");
    await mod.locator("#np-end").fill("2026-04-30");
    await mod.getByLabel("Municipalities").fill("Musterstadt, Beispielheim, Ideenfeld");
    await mod.getByRole("button", { name: "Create process" }).click();
    await mod.getByRole("heading", { name: "New survey from the catalogue" }).waitFor();
    processId = Number(/\/admin\/processes\/(\d+)/.exec(mod.url())[1]);
    const form = mod.locator("section", { has: mod.getByRole("heading", { name: "New survey from the catalogue" }) });
    await form.getByLabel("Title").fill("Ideas for our towns");
    for (const id of IDEAS) await form.locator(`#ns-idea-${id}`).check();
    await form.getByLabel("Additional statement to rate 1–5 (optional)").fill("Digitalisation is a priority for my municipality.");
    await form.getByLabel("Free-text question (optional)").fill("What else should we know?");
    await form.getByText("More questions (JSON, every question type)").click();
    await form.getByLabel("Questions as a JSON array").fill(
      JSON.stringify([
        { id: "first", type: "single_choice", text: "Where should we start?", options: ["mobility", "environment"] },
        { id: "channels", type: "multiple_choice", text: "How do you want to hear from us?", options: ["mail", "events", "web"], max_choices: 2 },
        { id: "order", type: "ranking", text: "Order these goals", options: ["climate", "service", "cost"] },
        { id: "money", type: "budget", text: "Spread 100 points", options: ["roads", "schools"], points: 100 },
      ]),
    );
    await checkA11y(mod, "admin-process");
    await mod.evaluate(() => window.scrollTo(0, 0));
    await shot(mod, "admin-process");
    await form.getByRole("button", { name: "Create survey" }).click();
    await mod.getByRole("heading", { name: "Ideas for our towns" }).waitFor();
    surveyId = Number(/\/admin\/surveys\/(\d+)/.exec(mod.url())[1]);
    await mod.getByRole("button", { name: "Open the survey" }).click();
    await mod.getByRole("button", { name: "Close the survey" }).waitFor();
  });

  await step("moderator invites 3 people by CSV", async () => {
    const csv = "email;name;municipality\n" + PEOPLE.map((p) => `${p.email};${p.name};${p.municipality}`).join("\n") + "\n";
    await mod.getByLabel("Recipients (CSV)").fill(csv);
    await mod.getByRole("button", { name: "Import and invite" }).click();
    await mod.getByText("3 people invited.").waitFor();
    await mod.getByText("3 invited, 0 answered.").waitFor();
    await checkA11y(mod, "admin-survey");
  });

  const mails = await mod.evaluate(() => fetch("/api/v1/outbox").then((r) => r.json()));
  for (const [i, p] of PEOPLE.entries()) {
    await step(`${p.name} answers on a phone`, async () => {
      const token = tokensFromOutbox(mails, p.email, "survey");
      const ctx = await browser.newContext({ ...PHONE, locale: "de-DE" });
      let page = await ctx.newPage();
      await page.goto(`${server.base}/survey#token=${token}`);
      await page.getByRole("heading", { name: "Ideas for our towns" }).waitFor();
      assert(!page.url().includes("token"), "the token leaves the address bar");
      await page.getByLabel("Bundesland").selectOption(p.state);
      await page.getByLabel("Größe der Kommune").selectOption(p.size);
      if (i === 0) {
        // A draft survives closing the page.
        await page.locator(`input[name="q-ideas-${IDEAS[0]}-benefit"][value="${p.ratings[0]}"]`).check();
        await page.getByRole("button", { name: "Entwurf speichern" }).click();
        await page.getByText("Entwurf gespeichert.").waitFor();
        await checkA11y(page, "survey-phone");
        await shot(page, "survey-phone");
        await page.close();
        page = await ctx.newPage();
        await page.goto(`${server.base}/survey#token=${token}`);
        await page.getByRole("heading", { name: "Ideas for our towns" }).waitFor();
        assert(await page.locator(`input[name="q-ideas-${IDEAS[0]}-benefit"][value="${p.ratings[0]}"]`).isChecked(), "draft answer restored");
        assert((await page.getByLabel("Bundesland").inputValue()) === p.state, "draft attribute restored");
      }
      await page.getByLabel("Ihre Rolle").selectOption(p.role);
      for (const [k, id] of IDEAS.entries()) {
        await page.locator(`input[name="q-ideas-${id}-benefit"][value="${p.ratings[k]}"]`).check();
        await page.locator(`input[name="q-ideas-${id}-urgency"][value="${i === 2 && k === 2 ? "dont_know" : 3}"]`).check();
      }
      await page.locator(`input[name="q-likert"][value="${4 + (i % 2)}"]`).check();
      await page.locator(`input[name="q-first"][value="mobility"]`).check();
      await page.getByRole("checkbox", { name: "web" }).check();
      await page.getByRole("button", { name: "service nach oben" }).click();
      await page.locator("#q-money-roads").fill("70");
      await page.locator("#q-money-schools").fill("30");
      await page.getByRole("textbox", { name: "What else should we know?" }).fill(`Greetings from ${p.municipality}`);
      await page.getByRole("button", { name: "Antworten absenden" }).click();
      await page.getByText("Vielen Dank! Ihre Antworten wurden gespeichert.").waitFor();
      await ctx.close();
    });
  }

  await step("a used survey link is refused", async () => {
    const ctx = await browser.newContext({ ...PHONE, locale: "en-GB" });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/survey#token=${tokensFromOutbox(mails, PEOPLE[0].email, "survey")}`);
    await page.getByText("This link was already used").waitFor();
    await ctx.close();
  });

  await step("the results page shows their ratings", async () => {
    await mod.goto(`${server.base}/surveys/${surveyId}/results`);
    await mod.getByText("3 respondents").first().waitFor();
    // Benefit of the first idea: 5, 4, 5 -> mean 4.67, ranked first.
    await mod.getByText("Table with all figures").click();
    const table = mod.locator("table").first();
    const first = table.locator("tbody tr").first();
    const firstText = await first.innerText();
    assert(firstText.includes("Air-quality") || firstText.toLowerCase().includes("air"), `first row is the air-quality idea: ${firstText}`);
    assert(firstText.includes("4.67"), `mean 4.67 shown: ${firstText}`);
    assert(firstText.includes("0 / 0 / 0 / 1 / 2"), `distribution shown: ${firstText}`);
    const body = await mod.locator("main").innerText();
    assert(body.includes("Mean 4.33"), "likert mean 4.33 (4, 5, 4)" + "\n" + body.slice(0, 400));
    assert(await mod.locator("svg[role=img]").count() >= 3, "charts drawn");
    await checkA11y(mod, "results");
    await shot(mod, "results");
  });

  await step("free text is shown to moderators; results are published", async () => {
    await mod.goto(`${server.base}/admin/surveys/${surveyId}`);
    await mod.getByText("Greetings from Ideenfeld").waitFor();
    await mod.getByText("3 invited, 3 answered.").waitFor();
    await mod.getByRole("button", { name: "Publish results" }).click();
    await mod.getByText("Results published.").waitFor();
    const anon = await browser.newContext({ ...DESKTOP, locale: "de-DE" });
    const page = await anon.newPage();
    await page.goto(`${server.base}/results/${surveyId}`);
    await page.getByText("3 Teilnehmende").first().waitFor();
    await checkA11y(page, "results-public");
    await anon.close();
  });

  // --- public pages --------------------------------------------------------
  await step("public pages: start, catalogue, idea, login (axe, screenshots)", async () => {
    const ctx = await browser.newContext({ ...DESKTOP, locale: "de-DE" });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/`);
    await page.getByRole("heading", { name: "Die digitale Kommune gemeinsam gestalten" }).waitFor();
    assert((await page.getAttribute("html", "lang")) === "de", "lang=de");
    await checkA11y(page, "home");
    await shot(page, "home");
    await page.getByRole("button", { name: /English/ }).click();
    await page.getByRole("heading", { name: "Shaping the digital municipality together" }).waitFor();
    assert((await page.getAttribute("html", "lang")) === "en", "lang=en after the switch");
    await page.getByRole("link", { name: "Idea catalogue" }).first().click();
    await page.getByRole("heading", { name: "Idea catalogue" }).waitFor();
    // The heading comes before the list has loaded.
    await page.locator("ul.cards > li").nth(21).waitFor();
    assert((await page.locator("ul.cards > li").count()) === 22, "22 ideas");
    await checkA11y(page, "ideas");
    await shot(page, "ideas");
    await page.locator("ul.cards a").first().click();
    await page.getByRole("heading", { name: "Benefits" }).waitFor();
    await checkA11y(page, "idea");
    await page.goto(`${server.base}/login`);
    await page.getByLabel("E-mail address").waitFor();
    await checkA11y(page, "login");
    await page.goto(`${server.base}/processes/${processId}`);
    await ctx.close();
    await mod.goto(`${server.base}/processes/${processId}/challenges`);
    await mod.getByRole("heading", { name: "Propose a challenge" }).waitFor();
    await mod.getByLabel("Title").fill("Congestion at the school run");
    await mod.getByRole("button", { name: "Propose" }).click();
    await mod.getByRole("heading", { name: "Congestion at the school run" }).waitFor();
    await checkA11y(mod, "challenges");
  });

  // --- live session --------------------------------------------------------
  const probe = await mod.evaluate((pid) => fetch(`/api/v1/processes/${pid}/live-sessions`).then((r) => r.status), processId);
  if (probe === 404 || probe === 405) {
    console.log(`SKIP live session flow: the server has no live-session API (GET live-sessions: ${probe})`);
  } else {
    await liveFlow(browser, mod, processId);
  }

  const bad = a11y.filter((a) => a.violations.length);
  await step(`axe-core: no WCAG 2.1 A/AA violation on ${a11y.length} pages`, async () => {
    assert(bad.length === 0, "violations on " + bad.map((b) => `${b.name} (${b.violations.map((v) => v.id).join(", ")})`).join("; "));
  });
}

async function liveFlow(browser, mod, processId) {
  let code = "";
  await step("moderator opens a live session from the catalogue", async () => {
    await mod.goto(`${server.base}/admin/processes/${processId}`);
    const form = mod.locator("section", { has: mod.getByRole("heading", { name: "New live session" }) });
    await form.getByLabel("Title").fill("Mayors' dialogue 2026");
    await form.locator(`#nl-idea-${IDEAS[0]}`).check();
    await form.locator(`#nl-idea-${IDEAS[1]}`).check();
    await form.getByRole("button", { name: "Create live session" }).click();
    await mod.getByRole("heading", { name: /Moderate live session/ }).waitFor();
    code = (await mod.locator("p.lead strong.code").innerText()).trim();
    assert(/^[A-Z0-9-]{3,}$/.test(code), `a session code: ${code}`);
  });

  const projectorCtx = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: "de-DE" });
  const projector = await projectorCtx.newPage();
  await step("projector view shows the first question and the QR code", async () => {
    await projector.goto(`${server.base}/live/${code}/projector`);
    await projector.locator("#projector-item").waitFor();
    await projector.getByText("0 Stimmen").waitFor();
    await projector.locator('.projector[data-connection="socket"]').waitFor({ timeout: 5000 });
    const qr = await projector.evaluate(async (c) => {
      const r = await fetch(`/api/v1/live/${c}/qr.svg`);
      return { status: r.status, type: r.headers.get("content-type") };
    }, code);
    assert(qr.status === 200 && /svg/.test(qr.type || ""), `QR code served: ${JSON.stringify(qr)}`);
  });

  const phones = [];
  await step("3 participants join on their phones", async () => {
    for (let i = 0; i < 3; i++) {
      const ctx = await browser.newContext({ ...PHONE, locale: i === 1 ? "en-GB" : "de-DE" });
      const page = await ctx.newPage();
      await page.goto(`${server.base}/live/${code}`);
      await page.locator("#live-item").waitFor();
      phones.push({ ctx, page });
    }
    await projector.getByText("3 Teilnehmende").waitFor({ timeout: 5000 });
  });

  await step("votes appear on the projector", async () => {
    const votes = [4, 5, 4];
    for (const [i, { page }] of phones.entries()) {
      await page.locator(".vote-buttons button", { hasText: String(votes[i]) }).first().click();
      await page.getByText(i === 1 ? "Your vote: 5" : "Ihre Stimme: 4").waitFor();
      await projector.getByText(`${i + 1} Stimmen`).waitFor({ timeout: 3000 });
    }
    const counts = await projector.locator(".bar-count").allTextContents();
    assert(counts.join(",") === "0,0,0,2,1", `tally bars 0,0,0,2,1: ${counts}`);
    await checkA11y(phones[0].page, "live-phone");
    await shot(phones[0].page, "live-phone");
    await checkA11y(projector, "projector");
    await shot(projector, "projector");
  });

  await step("a second vote on the same question is refused", async () => {
    const r = await phones[0].page.evaluate(async (c) => {
      const token = sessionStorage.getItem(`cocity-live-${c}`);
      const s = await fetch(`/api/v1/live/${c}`).then((x) => x.json());
      const v = await fetch(`/api/v1/live/${c}/votes`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Participant-Token": token },
        body: JSON.stringify({ item: s.current.item.id, value: 1 }),
      });
      return v.status;
    }, code);
    assert(r === 409, `second vote 409, got ${r}`);
  });

  await step("moderator closes, reveals and moves on; phones and projector follow", async () => {
    await mod.getByRole("button", { name: "Close voting" }).click();
    await projector.getByText("Abstimmung geschlossen").waitFor({ timeout: 5000 });
    await phones[0].page.getByText("Die Abstimmung zu dieser Frage ist geschlossen.").waitFor({ timeout: 5000 });
    await mod.getByRole("button", { name: "Reveal result" }).click();
    await phones[2].page.locator(".bar-count").first().waitFor({ timeout: 5000 });
    await checkA11y(mod, "live-moderator");
    await shot(mod, "live-moderator");
    await mod.getByRole("button", { name: "Next" }).click();
    await projector.getByText("Frage 2 von 2").waitFor({ timeout: 5000 });
    await projector.getByText("0 Stimmen").waitFor({ timeout: 5000 });
    for (const { page } of phones) {
      await page.getByText(/Frage 2 von 2|Question 2 of 2/).waitFor({ timeout: 5000 });
      await page.locator(".vote-buttons button", { hasText: "3" }).first().click();
    }
    await projector.getByText("3 Stimmen").waitFor({ timeout: 3000 });
  });
  for (const { ctx } of phones) await ctx.close();
  await projectorCtx.close();
}

let code = 0;
try {
  await main();
} catch (e) {
  code = 1;
  if (!summary().failures) console.log(`FAIL: ${e && e.stack ? e.stack : e}`);
  if (fs.existsSync(server.log)) console.log("server log (tail):\n" + fs.readFileSync(server.log, "utf8").split("\n").slice(-30).join("\n"));
} finally {
  if (chrome) await chrome.close().catch(() => undefined);
  await server.stop().catch(() => undefined);
}
const s = summary();
console.log(`${s.results.filter((r) => r.ok).length} steps passed, ${s.failures} failed`);
process.exit(code || (s.failures ? 1 : 0));
