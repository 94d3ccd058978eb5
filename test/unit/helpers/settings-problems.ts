import { SettingsError } from '../../../temporal-config/settings';

/** The problem lines of the SettingsError that `fn` throws. */
export function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
  throw new Error('expected a SettingsError');
}
