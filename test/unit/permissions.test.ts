import { grantedByRules } from '../../src/core/permissions';

const jobs = { verb: 'create', group: 'batch', resource: 'jobs' };

test('a rule grants a permission when verb, group and resource all match, wildcards included', () => {
  expect(grantedByRules([{ verbs: ['get', 'create'], apiGroups: ['batch'], resources: ['jobs'] }], jobs)).toBe(true);
  expect(grantedByRules([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], jobs)).toBe(true);
  expect(grantedByRules([{ verbs: ['get'], apiGroups: ['batch'], resources: ['jobs'] }], jobs)).toBe(false);
  expect(grantedByRules([{ verbs: ['create'], apiGroups: [''], resources: ['jobs'] }], jobs)).toBe(false);
  expect(grantedByRules([], jobs)).toBe(false);
});

test('subresources match by their full name or resource/*, never by the resource alone', () => {
  const logs = { verb: 'get', group: '', resource: 'pods', subresource: 'log' };
  expect(grantedByRules([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], logs)).toBe(false);
  expect(grantedByRules([{ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }], logs)).toBe(true);
  expect(grantedByRules([{ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }], logs)).toBe(true);
});

test('a rule limited to named objects grants only a check of one of those names', () => {
  const rule = { verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['view'] };
  const bind = (name?: string) => ({ verb: 'bind', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name });
  expect(grantedByRules([rule], bind('view'))).toBe(true);
  expect(grantedByRules([rule], bind('cluster-admin'))).toBe(false);
  expect(grantedByRules([rule], bind())).toBe(false);
});
