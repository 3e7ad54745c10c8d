// The stand-in's request checker against GitHub's published description: what GitHub takes passes,
// what it refuses is refused the same way.

import { describe, expect, it } from 'vitest';
import { checkRequest } from '../helpers/openapi-check.js';

const at = (path: string) => new URL(`http://stand-in${path}`);

describe('checkRequest', () => {
  it('takes a well-formed issue creation and names its operation', () => {
    const result = checkRequest('POST', at('/repos/o/r/issues'), { title: 'a', labels: ['x'] });
    expect(result).toMatchObject({
      ok: true,
      operation: { operationId: 'issues/create', params: { owner: 'o', repo: 'r' } },
    });
  });

  it('refuses a creation without a title with 422', () => {
    expect(checkRequest('POST', at('/repos/o/r/issues'), { labels: ['x'] })).toMatchObject({
      ok: false,
      status: 422,
    });
  });

  it('types path parameters: an issue number is an integer', () => {
    const good = checkRequest('PATCH', at('/repos/o/r/issues/12'), {
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(good).toMatchObject({ ok: true, operation: { params: { issue_number: 12 } } });
    expect(checkRequest('PATCH', at('/repos/o/r/issues/abc'), {})).toMatchObject({ ok: false, status: 404 });
  });

  it('refuses a sub-issue id sent as a string, as GitHub does', () => {
    expect(checkRequest('POST', at('/repos/o/r/issues/3/sub_issues'), { sub_issue_id: '3' })).toMatchObject({
      ok: false,
      status: 422,
    });
  });

  it('checks query values and knows no made-up route', () => {
    expect(checkRequest('GET', at('/repos/o/r/issues?state=all&per_page=100'), undefined)).toMatchObject({
      ok: true,
    });
    expect(checkRequest('GET', at('/repos/o/r/issues?state=sideways'), undefined)).toMatchObject({
      ok: false,
      status: 422,
    });
    expect(checkRequest('GET', at('/repos/o/r/issuez'), undefined)).toMatchObject({ ok: false, status: 404 });
    expect(checkRequest('PUT', at('/repos/o/r/issues/3'), {})).toMatchObject({ ok: false, status: 404 });
  });

  it('finds the dependency endpoints', () => {
    const result = checkRequest('DELETE', at('/repos/o/r/issues/3/dependencies/blocked_by/77'), undefined);
    expect(result).toMatchObject({
      ok: true,
      operation: { operationId: 'issues/remove-dependency-blocked-by' },
    });
  });
});
