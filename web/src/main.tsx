import { render } from "preact";
import { useEffect, useRef } from "preact/hooks";
import "./styles.css";
import { initLang, lang, setLang, t, useLang } from "./i18n";
import { match, useLocation } from "./router";
import { canModerate, loadSession, logout, useAccount } from "./session";
import { Link } from "./ui";
import { ChallengesPage, ProcessPage } from "./pages/process";
import { HomePage, IdeaPage, IdeasPage, JoinPage, LoginPage, NotFound } from "./pages/public";
import { SurveyPage } from "./pages/survey";
import { PublicResultsPage, ResultsPage } from "./pages/results";
import { LiveEnterPage, LiveModeratorPage, LiveParticipantPage, ProjectorPage } from "./pages/live";
import { AdminHome, AdminProcess } from "./pages/admin";
import { AdminSurvey } from "./pages/admin_survey";
import { JSX } from "preact";

type Route = [string, (p: Record<string, string>) => JSX.Element];

const routes: Route[] = [
  ["/", () => <HomePage />],
  ["/login", () => <LoginPage />],
  ["/join", () => <JoinPage />],
  ["/ideas", () => <IdeasPage />],
  ["/ideas/:id", (p) => <IdeaPage id={p.id} />],
  ["/processes/:id", (p) => <ProcessPage id={Number(p.id)} />],
  ["/processes/:id/challenges", (p) => <ChallengesPage id={Number(p.id)} />],
  ["/survey", () => <SurveyPage />],
  ["/surveys/:id/results", (p) => <ResultsPage id={Number(p.id)} />],
  ["/results/:id", (p) => <PublicResultsPage id={Number(p.id)} />],
  ["/live", () => <LiveEnterPage />],
  ["/live/:code", (p) => (projectorQuery() ? <ProjectorPage code={p.code} /> : <LiveParticipantPage code={p.code} />)],
  ["/live/:code/projector", (p) => <ProjectorPage code={p.code} />],
  ["/admin", () => <AdminHome />],
  ["/admin/processes/:id", (p) => <AdminProcess id={Number(p.id)} />],
  ["/admin/surveys/:id", (p) => <AdminSurvey id={Number(p.id)} />],
  ["/admin/live/:id", (p) => <LiveModeratorPage id={p.id} />],
];

// `/live/<code>?view=projector` is the projector too (the form `cocity demo`
// prints).
function projectorQuery(): boolean {
  return new URLSearchParams(location.search).get("view") === "projector";
}

function Page({ path }: { path: string }) {
  for (const [pattern, page] of routes) {
    const params = match(pattern, path);
    if (params) return page(params);
  }
  return <NotFound />;
}

function LanguageSwitch() {
  const current = lang();
  const other = current === "de" ? "en" : "de";
  return (
    <button
      type="button"
      class="link-button lang-switch"
      lang={other}
      onClick={() => setLang(other)}
      aria-label={other === "de" ? "Deutsch – Sprache wechseln" : "English – switch language"}
    >
      {other === "de" ? "Deutsch" : "English"}
    </button>
  );
}

function App() {
  useLang();
  const path = useLocation();
  const { account } = useAccount();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);
  const projector = /^\/live\/[^/]+\/projector$/.test(path) || (/^\/live\/[^/]+$/.test(path) && projectorQuery());
  if (projector) {
    return (
      <main id="main" class="projector-main" ref={main} tabIndex={-1}>
        <Page path={path} />
      </main>
    );
  }
  const current = (p: string) => (path === p || (p !== "/" && path.startsWith(p + "/")) ? "page" : undefined);
  return (
    <>
      <a class="skip-link" href="#main">
        {t("skip_to_content")}
      </a>
      <header class="site-header">
        <Link href="/" class="brand">
          cocity
        </Link>
        <nav aria-label={t("nav_main")}>
          <ul>
            <li>
              <Link href="/" aria-current={current("/")}>
                {t("nav_processes")}
              </Link>
            </li>
            <li>
              <Link href="/ideas" aria-current={current("/ideas")}>
                {t("nav_ideas")}
              </Link>
            </li>
            <li>
              <Link href="/live" aria-current={current("/live")}>
                {t("nav_live")}
              </Link>
            </li>
            {canModerate(account) && (
              <li>
                <Link href="/admin" aria-current={current("/admin")}>
                  {t("nav_admin")}
                </Link>
              </li>
            )}
            <li>
              {account ? (
                <button type="button" class="link-button" onClick={() => logout()}>
                  {t("logout")}
                </button>
              ) : (
                <Link href="/login" aria-current={current("/login")}>
                  {t("login")}
                </Link>
              )}
            </li>
            <li>
              <LanguageSwitch />
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page path={path} />
      </main>
      <footer class="site-footer">
        <p>{t("footer")}</p>
      </footer>
    </>
  );
}

initLang();
render(<App />, document.getElementById("app")!);
loadSession();
