import { planSearchAttributes, searchAttributes } from '../../temporal-config/search-attributes';

test('a bare namespace needs every attribute', () => {
  expect(planSearchAttributes({})).toEqual({ missing: searchAttributes, conflicts: [] });
});

test('registered attributes are left alone, other types are conflicts, foreign ones ignored', () => {
  const plan = planSearchAttributes({ VerdictSuite: 'Keyword', VerdictStatus: 'Text', CustomerId: 'Int' });
  expect(plan.missing).not.toHaveProperty('VerdictSuite');
  expect(plan.missing).not.toHaveProperty('VerdictStatus');
  expect(plan.missing).toHaveProperty('VerdictCluster', 'Keyword');
  expect(plan.conflicts).toEqual(['VerdictStatus is registered as Text, Verdict needs Keyword']);
});
