// The repository the GitHub stand-in keeps in memory: issues, labels, comments, sub-issues and
// issue dependencies, with GitHub's limits (100 sub-issues per parent, 8 levels, 65,536-character
// bodies), and the answer of each operation it serves (requests reach it already checked against
// GitHub's OpenAPI description).

export const SUB_ISSUE_LIMIT = 100;
export const DEPTH_LIMIT = 8;
export const BODY_LIMIT = 65_536;

export interface StandInIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  parent: number | null;
  subIssues: number[];
  blockedBy: number[];
  comments: string[];
}

export interface StandInLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type IssueChange = Partial<Pick<StandInIssue, 'title' | 'state' | 'state_reason' | 'body' | 'labels'>>;

export interface StandInRepository {
  issues: Map<number, StandInIssue>;
  labels: Map<string, StandInLabel>;
  serve(
    op: string,
    params: Record<string, string | number>,
    query: Record<string, unknown>,
    body: Record<string, unknown>,
    base: string,
  ): Answer;
  /** What a person does on github.com: changes an issue (bumps updated_at). */
  edit(number: number, change: IssueChange): StandInIssue;
}

export function standInRepository(): StandInRepository {
  const issues = new Map<number, StandInIssue>();
  const labels = new Map<string, StandInLabel>();
  let nextNumber = 1;
  let nextId = 9_000_001;
  // Seconds, as GitHub gives them; a clock that never goes back and moves on each change.
  let lastStamp = 0;
  const stamp = (): string => {
    lastStamp = Math.max(lastStamp, Math.floor(Date.now() / 1000));
    return `${new Date(lastStamp * 1000).toISOString().slice(0, 19)}Z`;
  };

  const issueJson = (issue: StandInIssue, base: string) => ({
    id: issue.id,
    node_id: `I_${issue.id}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    labels: issue.labels.map((name) => labels.get(name.toLowerCase()) ?? { name }),
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    url: `${base}/repos/o/r/issues/${issue.number}`,
    html_url: `https://github.example/o/r/issues/${issue.number}`,
    user: { login: 'sdd-bot', id: 1 },
    sub_issues_summary: { total: issue.subIssues.length, completed: 0, percent_completed: 0 },
  });

  const depthAbove = (number: number): number => {
    let depth = 1;
    for (let at = issues.get(number)?.parent; at != null; at = issues.get(at)?.parent) depth += 1;
    return depth;
  };
  const heightBelow = (number: number): number => {
    const issue = issues.get(number);
    if (!issue || issue.subIssues.length === 0) return 1;
    return 1 + Math.max(...issue.subIssues.map(heightBelow));
  };

  const invalid = (message: string): Answer => ({ status: 422, body: { message, status: '422' } });
  const notFound = (): Answer => ({ status: 404, body: { message: 'Not Found', status: '404' } });

  const serve = (
    op: string,
    params: Record<string, string | number>,
    query: Record<string, unknown>,
    body: Record<string, unknown>,
    base: string,
  ): Answer => {
    const number = Number(params.issue_number);
    const issue = issues.get(number);
    switch (op) {
      case 'issues/list-for-repo': {
        const state = (query.state as string) ?? 'open';
        const since = query.since as string | undefined;
        const perPage = Math.min(Number(query.per_page ?? 30), 100);
        const page = Number(query.page ?? 1);
        const all = [...issues.values()]
          .filter((i) => state === 'all' || i.state === state)
          .filter((i) => !since || i.updated_at >= since.replace(/\.\d+Z$/, 'Z'))
          .sort((a, b) => b.number - a.number);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) {
          const next = new URL(`${base}/repos/${params.owner}/${params.repo}/issues`);
          for (const [k, v] of Object.entries(query)) next.searchParams.set(k, String(v));
          next.searchParams.set('page', String(page + 1));
          headers.link = `<${next.href}>; rel="next"`;
        }
        return { status: 200, body: slice.map((i) => issueJson(i, base)), headers };
      }
      case 'issues/create': {
        if (typeof body.body === 'string' && body.body.length > BODY_LIMIT) {
          return invalid(`Validation Failed: body is too long (maximum is ${BODY_LIMIT} characters)`);
        }
        const now = stamp();
        const made: StandInIssue = {
          id: nextId++,
          number: nextNumber++,
          title: String(body.title),
          body: (body.body as string) ?? null,
          state: 'open',
          state_reason: null,
          labels: ((body.labels as (string | { name: string })[]) ?? []).map((l) =>
            typeof l === 'string' ? l : l.name,
          ),
          created_at: now,
          updated_at: now,
          closed_at: null,
          parent: null,
          subIssues: [],
          blockedBy: [],
          comments: [],
        };
        for (const name of made.labels) {
          if (!labels.has(name.toLowerCase()))
            labels.set(name.toLowerCase(), { id: nextId++, name, color: 'ededed', description: null });
        }
        issues.set(made.number, made);
        return { status: 201, body: issueJson(made, base) };
      }
      case 'issues/get':
        return issue ? { status: 200, body: issueJson(issue, base) } : notFound();
      case 'issues/update': {
        if (!issue) return notFound();
        if (typeof body.body === 'string' && body.body.length > BODY_LIMIT) {
          return invalid(`Validation Failed: body is too long (maximum is ${BODY_LIMIT} characters)`);
        }
        if (body.title != null) issue.title = String(body.title);
        if (body.body !== undefined) issue.body = body.body as string | null;
        if (body.labels)
          issue.labels = (body.labels as (string | { name: string })[]).map((l) =>
            typeof l === 'string' ? l : l.name,
          );
        if (body.state === 'closed' && issue.state !== 'closed') {
          issue.state = 'closed';
          issue.closed_at = stamp();
          issue.state_reason = (body.state_reason as string) ?? 'completed';
        } else if (body.state === 'closed' && body.state_reason)
          issue.state_reason = body.state_reason as string;
        else if (body.state === 'open' && issue.state !== 'open') {
          issue.state = 'open';
          issue.closed_at = null;
          issue.state_reason = 'reopened';
        }
        issue.updated_at = stamp();
        return { status: 200, body: issueJson(issue, base) };
      }
      case 'issues/create-comment':
        if (!issue) return notFound();
        issue.comments.push(String(body.body));
        issue.updated_at = stamp();
        return { status: 201, body: { id: nextId++, body: body.body } };
      case 'issues/list-labels-for-repo': {
        const perPage = Math.min(Number(query.per_page ?? 30), 100);
        const page = Number(query.page ?? 1);
        const all = [...labels.values()];
        const headers: Record<string, string> = {};
        if (page * perPage < all.length)
          headers.link = `<${base}/repos/${params.owner}/${params.repo}/labels?per_page=${perPage}&page=${page + 1}>; rel="next"`;
        return { status: 200, body: all.slice((page - 1) * perPage, page * perPage), headers };
      }
      case 'issues/create-label': {
        const name = String(body.name);
        if (labels.has(name.toLowerCase())) return invalid('Validation Failed: already_exists');
        const label = {
          id: nextId++,
          name,
          color: String(body.color ?? 'ededed'),
          description: (body.description as string) ?? null,
        };
        labels.set(name.toLowerCase(), label);
        return { status: 201, body: label };
      }
      case 'issues/add-sub-issue': {
        if (!issue) return notFound();
        const child = [...issues.values()].find((i) => i.id === body.sub_issue_id);
        if (!child) return notFound();
        if (child.number === issue.number)
          return invalid('Validation Failed: an issue cannot be its own sub-issue');
        if (child.parent !== null && body.replace_parent !== true)
          return invalid('Validation Failed: sub-issue already has a parent');
        for (let at: number | null = issue.number; at !== null; at = issues.get(at)?.parent ?? null) {
          if (at === child.number) return invalid('Validation Failed: that would make a cycle of sub-issues');
        }
        if (issue.subIssues.length >= SUB_ISSUE_LIMIT)
          return invalid(`Validation Failed: an issue can have at most ${SUB_ISSUE_LIMIT} sub-issues`);
        if (depthAbove(issue.number) + heightBelow(child.number) > DEPTH_LIMIT) {
          return invalid(`Validation Failed: sub-issues can be nested at most ${DEPTH_LIMIT} levels deep`);
        }
        if (child.parent !== null) {
          const old = issues.get(child.parent);
          if (old) old.subIssues = old.subIssues.filter((n) => n !== child.number);
        }
        child.parent = issue.number;
        issue.subIssues.push(child.number);
        return { status: 201, body: issueJson(issue, base) };
      }
      case 'issues/remove-sub-issue': {
        if (!issue) return notFound();
        const child = [...issues.values()].find((i) => i.id === body.sub_issue_id);
        if (!child || child.parent !== issue.number) return notFound();
        child.parent = null;
        issue.subIssues = issue.subIssues.filter((n) => n !== child.number);
        return { status: 200, body: issueJson(child, base) };
      }
      case 'issues/list-sub-issues':
        if (!issue) return notFound();
        return { status: 200, body: issue.subIssues.map((n) => issueJson(issues.get(n)!, base)) };
      case 'issues/add-blocked-by-dependency': {
        if (!issue) return notFound();
        const blocker = [...issues.values()].find((i) => i.id === body.issue_id);
        if (!blocker) return notFound();
        if (blocker.number === issue.number)
          return invalid('Validation Failed: an issue cannot block itself');
        if (issue.blockedBy.includes(blocker.number))
          return invalid('Validation Failed: the dependency exists already');
        issue.blockedBy.push(blocker.number);
        return { status: 201, body: issueJson(blocker, base) };
      }
      case 'issues/remove-dependency-blocked-by': {
        if (!issue) return notFound();
        const blocker = [...issues.values()].find((i) => i.id === Number(params.issue_id));
        if (!blocker || !issue.blockedBy.includes(blocker.number)) return notFound();
        issue.blockedBy = issue.blockedBy.filter((n) => n !== blocker.number);
        return { status: 200, body: issueJson(blocker, base) };
      }
      case 'issues/list-dependencies-blocked-by':
        if (!issue) return notFound();
        return { status: 200, body: issue.blockedBy.map((n) => issueJson(issues.get(n)!, base)) };
      default:
        return { status: 501, body: { message: `The stand-in does not serve ${op}.` } };
    }
  };

  const edit = (number: number, change: IssueChange): StandInIssue => {
    const issue = issues.get(number);
    if (!issue) throw new Error(`no issue #${number}`);
    if (change.title !== undefined) issue.title = change.title;
    if (change.body !== undefined) issue.body = change.body;
    if (change.labels !== undefined) issue.labels = change.labels;
    if (change.state === 'closed' && issue.state === 'open') {
      issue.state = 'closed';
      issue.closed_at = stamp();
      issue.state_reason = change.state_reason ?? 'completed';
    } else if (change.state === 'open' && issue.state === 'closed') {
      issue.state = 'open';
      issue.closed_at = null;
      issue.state_reason = 'reopened';
    }
    issue.updated_at = stamp();
    return issue;
  };
  return { issues, labels, serve, edit };
}
