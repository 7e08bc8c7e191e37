import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An issue (or, with `pullRequest`, a pull request) the fake lists. */
export interface FakeIssue {
  readonly number: number;
  readonly title: string;
  readonly body?: string | null;
  readonly state?: 'open' | 'closed';
  readonly labels?: ReadonlyArray<string>;
  /** GitHub lists pull requests among the issues, marked with a `pull_request` object. */
  readonly pullRequest?: boolean;
}

/** One recorded request. */
export interface FakeGitHubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly rawBody: string;
  /** The status the fake answered with. */
  readonly status: number;
}

/** A canned answer for requests a rule matches, used `times` times (default once). */
export interface FakeGitHubFault {
  readonly match: (request: { readonly method: string; readonly path: string }) => boolean;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly times?: number;
}

/** Options of the fake. */
export interface FakeGitHubOptions {
  /** The only token accepted (as `Authorization: token …` or `Bearer …`); any other gets 401. */
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch?: string;
  readonly issues?: ReadonlyArray<FakeIssue>;
  /** The largest page the fake serves (GitHub's is 100); a smaller one makes short listings paginate. */
  readonly maxPerPage?: number;
  /** Serve the API under this path (GitHub Enterprise's is /api/v3); default the root. */
  readonly pathPrefix?: string;
}

/** A running fake GitHub REST API. */
export interface FakeGitHub {
  /** The API base, for GITHUB_API_URL (http://127.0.0.1:PORT[prefix]). */
  readonly url: string;
  readonly requests: ReadonlyArray<FakeGitHubRequest>;
  /** The pull requests created, in order (POST bodies as received). */
  readonly pulls: ReadonlyArray<Readonly<Record<string, unknown>>>;
  setIssues(issues: ReadonlyArray<FakeIssue>): void;
  /** Answers matching requests with a canned status (401, 403, a rate limit, 422 …) instead. */
  fail(fault: FakeGitHubFault): void;
  close(): Promise<void>;
}

/**
 * A loopback fake of the GitHub REST API endpoints the app uses: GET /repos/{o}/{r}, the issues
 * listing (state and labels filters, per_page/page pagination with Link headers, pull requests
 * among the issues), GET of one issue and POST /repos/{o}/{r}/pulls. Every request is recorded; faults are scripted.
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  let issues: ReadonlyArray<FakeIssue> = options.issues ?? [];
  const requests: FakeGitHubRequest[] = [];
  const pulls: Record<string, unknown>[] = [];
  const faults: { fault: FakeGitHubFault; left: number }[] = [];
  const prefix = options.pathPrefix ?? '';
  let base = '';

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams.entries());
    let body: unknown = null;
    try {
      body = rawBody === '' ? null : JSON.parse(rawBody);
    } catch {
      body = rawBody;
    }
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
    const send = (status: number, payload: unknown, extra: Readonly<Record<string, string>> = {}): void => {
      requests.push({ method, path: url.pathname, query, headers, body, rawBody, status });
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'repo', ...extra });
      response.end(JSON.stringify(payload));
    };
    if (!url.pathname.startsWith(`${prefix}/`)) {
      requests.push({ method, path: url.pathname, query, headers, body, rawBody, status: 404 });
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<html><body>Not Found</body></html>');
      return;
    }
    const path = url.pathname.slice(prefix.length);
    const authorization = headers['authorization'] ?? '';
    if (authorization !== `token ${options.token}` && authorization !== `Bearer ${options.token}`) {
      send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const fault = faults.find((entry) => entry.left > 0 && entry.fault.match({ method, path }));
    if (fault !== undefined) {
      fault.left -= 1;
      send(fault.fault.status, fault.fault.body ?? { message: 'fault' }, fault.fault.headers);
      return;
    }
    const repoPath = `/repos/${options.owner}/${options.repo}`;
    if (method === 'GET' && path === repoPath) {
      send(200, { full_name: `${options.owner}/${options.repo}`, default_branch: options.defaultBranch ?? 'main', private: true });
      return;
    }
    if (method === 'GET' && path === `${repoPath}/issues`) {
      const state = query['state'] ?? 'open';
      const wanted = (query['labels'] ?? '').split(',').filter((label) => label !== '');
      const matching = issues
        .filter((issue) => state === 'all' || (issue.state ?? 'open') === state)
        .filter((issue) => wanted.every((label) => (issue.labels ?? []).includes(label)))
        .sort((a, b) => b.number - a.number);
      const perPage = Math.min(options.maxPerPage ?? 100, Number(query['per_page'] ?? 30));
      const page = Math.max(1, Number(query['page'] ?? 1));
      const last = Math.max(1, Math.ceil(matching.length / perPage));
      const rows = matching.slice((page - 1) * perPage, page * perPage).map((issue) => issueJson(issue, base, options));
      const link = (n: number, rel: string): string => {
        const next = new URL(`${base}${path}`);
        for (const [name, value] of Object.entries(query)) next.searchParams.set(name, value);
        next.searchParams.set('page', String(n));
        return `<${next.toString()}>; rel="${rel}"`;
      };
      const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
      send(200, rows, links.length > 0 ? { link: links.join(', ') } : {});
      return;
    }
    const single = new RegExp(`^${repoPath}/issues/(\\d+)$`).exec(path);
    if (method === 'GET' && single !== null) {
      const issue = issues.find((candidate) => candidate.number === Number(single[1]));
      if (issue === undefined) send(404, { message: 'Not Found' });
      else send(200, issueJson(issue, base, options));
      return;
    }
    if (method === 'POST' && path === `${repoPath}/pulls`) {
      const input = (body ?? {}) as Record<string, unknown>;
      if (typeof input['head'] !== 'string' || typeof input['base'] !== 'string' || typeof input['title'] !== 'string') {
        send(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'missing_field' }] });
        return;
      }
      pulls.push(input);
      const number = 100 + pulls.length;
      send(201, { number, html_url: `${base.replace(/\/api\/v3$/, '')}/${options.owner}/${options.repo}/pull/${number}`, state: 'open', draft: input['draft'] === true });
      return;
    }
    send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}${prefix}`;
  return {
    url: base,
    requests,
    pulls,
    setIssues: (next) => {
      issues = next;
    },
    fail: (fault) => faults.push({ fault, left: fault.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function issueJson(issue: FakeIssue, base: string, options: FakeGitHubOptions): Record<string, unknown> {
  const web = `${base.replace(/\/api\/v3$/, '')}/${options.owner}/${options.repo}`;
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? null,
    state: issue.state ?? 'open',
    html_url: `${web}/${issue.pullRequest === true ? 'pull' : 'issues'}/${issue.number}`,
    labels: (issue.labels ?? []).map((name, index) => ({ id: index + 1, name, color: 'ededed' })),
    ...(issue.pullRequest === true ? { pull_request: { url: `${base}/repos/${options.owner}/${options.repo}/pulls/${issue.number}` } } : {}),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
