// The worker's policy reaches runs through this activity: the workflow cannot read the worker's
// settings, and the verdict (with the policy it was made under) is recorded in the run's history.
import { checkPolicy, type Policy, type Violation } from '../core/policy';
import type { Suite } from '../core/spec';

export function policyActivities(policy: Policy) {
  return {
    /** Every way the suite asks for more than this worker's policy allows (none: the run may go on), and the policy. */
    checkRunPolicy(input: { suite: Pick<Suite, 'namespace' | 'validators'> }): Promise<{ policy: Policy; violations: Violation[] }> {
      return Promise.resolve({ policy, violations: checkPolicy(input.suite, policy) });
    },
  };
}
