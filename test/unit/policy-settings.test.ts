// The policy as worker settings: one definition each (flag, variable, help, defaults), the preset
// as the base, each setting over it, and every bad value reported with its flag and variable.
import { problems } from './helpers/settings-problems';
import { loadWorkerConfig, settings, type KubeDefaults } from '../../worker/config';
import { defaultPolicy, policySettingDefinitions, policySettings, sandboxPolicy } from '../../src/core/policy';
import { optionFlags, optionHelp } from '../../temporal-config/settings';
import { workerCommand } from '../../src/cli/worker-command';
import { Option } from 'commander';

const inCluster: KubeDefaults = { homeConfig: false, inCluster: true };


test('without settings the worker enforces the default policy', () => {
  expect(loadWorkerConfig({}, {}, inCluster).policy).toEqual(defaultPolicy);
});

test('the sandbox preset is an explicit choice; a setting given overrides the preset, flags over variables', () => {
  expect(loadWorkerConfig({}, { VERDICT_POLICY_PRESET: 'sandbox' }, inCluster).policy).toEqual(sandboxPolicy);
  const env = { VERDICT_POLICY_PRESET: 'sandbox', VERDICT_ALLOW_PRIVILEGED: 'false', VERDICT_ALLOWED_NAMESPACES: 'a, b-*', VERDICT_ALLOWED_SECRETS: 'none', VERDICT_MAX_CPU: '1500m' };
  const policy = loadWorkerConfig({ allowedNamespaces: 'from-flag', maxValidators: '7' }, env, inCluster).policy;
  expect(policy).toEqual({ ...sandboxPolicy, allowPrivileged: false, allowedNamespaces: ['from-flag'], allowedSecrets: [], maxCpu: '1500m', maxValidators: 7 });
  expect(loadWorkerConfig({ allowPrivileged: true, allowedClusterRoles: 'view,cluster-admin' }, {}, inCluster).policy).toMatchObject({ preset: 'default', allowPrivileged: true, allowedClusterRoles: ['view', 'cluster-admin'] });
});

test('every bad policy setting in one error, each naming its flag and variable', () => {
  const env = { VERDICT_POLICY_PRESET: 'anything', VERDICT_ALLOW_PRIVILEGED: 'maybe', VERDICT_ALLOWED_NAMESPACES: 'ok,no spaces', VERDICT_MAX_VALIDATORS: '501', VERDICT_MAX_TIMEOUT: 'forever', VERDICT_MAX_CPU: '-1', VERDICT_MAX_MEMORY: '0' };
  const lines = problems(() => loadWorkerConfig({}, env, inCluster));
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^policyPreset \(--policy-preset, VERDICT_POLICY_PRESET\) = "anything": must be one of default, sandbox/),
      expect.stringMatching(/^allowPrivileged \(--allow-privileged, VERDICT_ALLOW_PRIVILEGED\) = "maybe": must be true or false/),
      expect.stringMatching(/^allowedNamespaces \(--allowed-namespaces, VERDICT_ALLOWED_NAMESPACES\) = "ok,no spaces": must be a comma-separated list/),
      expect.stringMatching(/^maxValidators \(--max-validators, VERDICT_MAX_VALIDATORS\) = "501": must be at most 500/),
      expect.stringMatching(/^maxTimeout \(--max-timeout, VERDICT_MAX_TIMEOUT\) = "forever": must be a duration/),
      expect.stringMatching(/^maxCpu \(--max-cpu, VERDICT_MAX_CPU\) = "-1": must be a positive Kubernetes quantity/),
      expect.stringMatching(/^maxMemory \(--max-memory, VERDICT_MAX_MEMORY\) = "0": must be a positive Kubernetes quantity/),
    ]),
  );
  expect(lines).toHaveLength(7);
});

test('one definition per setting: the worker table, the help and the flags all derive from it', () => {
  // commander hands a flag's value over under its camelCase name: the setting must be called that.
  for (const [name, d] of Object.entries(policySettingDefinitions)) expect(new Option(optionFlags(d)).attributeName()).toBe(name);
  for (const [name, d] of Object.entries(policySettingDefinitions)) {
    expect(settings[name as keyof typeof settings]).toBe(d);
  }
  const help = workerCommand().helpInformation();
  for (const [name, d] of Object.entries(policySettings)) {
    const definition = policySettingDefinitions[name as keyof typeof policySettings];
    expect(help).toContain(optionFlags(definition));
    expect(help.replace(/\s+/g, ' ')).toContain(optionHelp(definition).replace(/\s+/g, ' '));
    expect(optionHelp(definition)).toContain(`[$${d.env}]`);
  }
  expect(optionHelp(policySettingDefinitions.allowedNamespaces)).toBe('namespaces runs may use, comma-separated, "*" a wildcard (default verdict; sandbox preset: verdict,verdict-*,vt-*) [$VERDICT_ALLOWED_NAMESPACES]');
  expect(optionHelp(policySettingDefinitions.allowPrivileged)).toContain('(default refused; sandbox preset: allowed)');
});
