// The cocity REST API as seen from the browser: JSON in and out, the
// session cookie sent automatically (Path=/api/), the CSRF token added to
// every write, errors turned into ApiError with the ProblemDetails detail.

export class ApiError extends Error {
  constructor(
    public status: number,
    public detail: string,
  ) {
    super(detail);
  }
}

let csrfToken = "";

export function setCsrf(token: string): void {
  csrfToken = token;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  // A body sent as is (e.g. CSV) with this content type.
  raw?: { body: string; type: string };
}

export async function api<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    ...options.headers,
  };
  if (method !== "GET" && method !== "HEAD" && csrfToken) {
    headers["X-CSRF-Token"] = csrfToken;
  }
  let payload: string | undefined;
  if (options.raw) {
    headers["Content-Type"] = options.raw.type;
    payload = options.raw.body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch("/api/v1" + path, {
      method,
      headers,
      body: payload,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network");
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const detail =
      data && typeof data === "object" && "detail" in data
        ? String((data as { detail: unknown }).detail)
        : response.statusText;
    throw new ApiError(response.status, detail);
  }
  return data as T;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.status ? `${e.status}: ${e.detail}` : e.detail;
  return String(e);
}

// --- Shapes of the API (docs/cocreation.md, the live session contract) ---

export type Localized = { en: string; de: string };

export interface Account {
  id: number;
  email: string;
  name: string;
  role: "admin" | "moderator" | "decision_maker" | "citizen";
  municipality: string;
}

export interface Phase {
  name: string;
  starts_at: string;
  ends_at: string;
}

export interface Process {
  id: number;
  title: string;
  description: string;
  status: "draft" | "active" | "closed";
  phases: Phase[];
  municipalities: string[];
}

export interface Challenge {
  id: number;
  process_id: number;
  title: string;
  description: string;
  municipality: string;
  status: "proposed" | "accepted" | "rejected";
  cluster: string;
  priority: number;
}

export interface Comment {
  id: number;
  target: string;
  text: string;
  status: "approved" | "rejected" | "pending";
  created_at: string;
}

export interface Contact {
  id: number;
  municipality: string;
  name: string;
  region: string;
  contact: string;
}

export interface Idea {
  id: string;
  domain: string;
  title: Localized;
  description: Localized;
  benefits: { en: string[]; de: string[] };
  cost_eur: { min: number; max: number };
  prerequisites: { connectivity: string[]; power: string; data: string };
  kpis: Localized[];
  source: string;
}

export type QuestionType =
  | "likert"
  | "idea_rating"
  | "ranking"
  | "budget"
  | "single_choice"
  | "multiple_choice"
  | "free_text";

export interface Question {
  id: string;
  type: QuestionType;
  text: string;
  required: boolean;
  options?: string[];
  ideas?: string[];
  criteria?: string[];
  points?: number;
  max_choices?: number;
  max_length?: number;
}

export interface Survey {
  id: number;
  process_id: number;
  title: string;
  status: "draft" | "open" | "closed";
  anonymous: boolean;
  questions: Question[];
  published: boolean;
}

export interface Summary {
  n: number;
  mean: number | null;
  dont_know: number;
  median: number | null;
  stddev: number | null;
  ci95: [number | null, number | null];
  distribution: number[];
}

export interface RankEntry {
  idea: string;
  rank: number;
  rank_low: number;
  rank_high: number;
  mean: number | null;
  tied_with: string[];
}

export interface QuestionResults {
  type: QuestionType;
  text: string;
  results: {
    // likert
    n?: number;
    // idea_rating
    ideas?: Record<string, Record<string, Summary>>;
    rankings?: Record<string, RankEntry[]>;
    // choices, ranking, budget, free text
    answered?: number;
    options?: Record<
      string,
      { count: number; mean_position?: number | null; mean_points?: number | null; total_points?: number }
    >;
  } & Partial<Summary>;
}

export interface Segment {
  value: string;
  respondents: number;
  questions: Record<string, Summary | { ideas: Record<string, Record<string, Summary>> }>;
}

export interface Results {
  survey: number;
  title: string;
  respondents: number;
  min_segment: number;
  method: string;
  questions: Record<string, QuestionResults>;
  segments?: Record<string, { segments: Segment[]; suppressed: number }>;
  published_at?: string;
}

// Live sessions (the contract in briefs/live_api.md).
export interface LiveItem {
  id: string;
  type: "idea_rating" | "likert" | "single_choice";
  text: string;
  idea?: string;
  criterion?: string;
  options?: string[];
}

export interface LiveTally {
  counts: Record<string, number>;
  mean?: number | null;
  n: number;
}

export interface LiveState {
  id: string | number;
  code: string;
  title: string;
  status: "active" | "ended";
  participants: number;
  item_count: number;
  items?: LiveItem[];
  current: {
    index: number;
    item: LiveItem;
    open: boolean;
    revealed: boolean;
    votes: number;
    tally?: LiveTally;
  } | null;
}
