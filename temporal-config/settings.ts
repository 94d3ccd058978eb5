// Settings read from flags over environment variables and validated in one pass, so every bad
// setting is reported at once, each with the field, flag and variable that set it.
import type { z } from 'zod';

export interface SettingSource {
  env: string;
  flag: string;
}

export type SettingTable = Record<string, SettingSource>;

/**
 * A setting defined once: its flag and variable, its help, and how its default reads. Help lines
 * and flags are derived from it (`optionFlags`, `optionHelp`), so they cannot drift apart.
 */
export interface SettingDefinition extends SettingSource {
  /** The flag's value placeholder, e.g. "<n>"; absent for a switch. */
  arg?: string;
  help: string;
  /** The default as help shows it. */
  defaultText: string;
}

/** The flag as commander declares it: `--max-cpu <quantity>`, or `--allow-privileged` for a switch. */
export const optionFlags = (d: SettingDefinition): string => (d.arg ? `${d.flag} ${d.arg}` : d.flag);

/** The help line: what it does, its default and its variable. */
export const optionHelp = (d: SettingDefinition): string => `${d.help} (default ${d.defaultText}) [$${d.env}]`;

/** Settings whose values never appear in error messages. */
const secret = new Set(['apiKey']);

export class SettingsError extends Error {
  constructor(
    readonly what: string,
    readonly problems: string[],
  ) {
    super(`invalid ${what}:\n  ${problems.join('\n  ')}`);
  }
}

/** Flags (camelCase names, as given) over environment variables; empty strings count as unset. */
export function rawSettings(table: SettingTable, flags: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(table).flatMap((name) => {
      const value = flags[name] ?? env[table[name].env];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
}

/** One line per problem: `tlsCert (--tls-cert, TEMPORAL_TLS_CERT) = "x": no such file`. */
export function describeSettingIssues(table: SettingTable, issues: z.core.$ZodIssue[], raw: Record<string, unknown>): string[] {
  return issues.map((i) => {
    const name = String(i.path[0] ?? '');
    const source = table[name];
    if (!source) return i.message;
    const value = raw[name] === undefined ? 'unset' : secret.has(name) ? '(hidden)' : JSON.stringify(raw[name]);
    return `${name} (${source.flag}, ${source.env}) = ${value}: ${i.message}`;
  });
}

/** Parses raw settings with `schema`; throws one SettingsError listing every problem. */
export function parseSettings<S extends z.ZodType>(what: string, table: SettingTable, schema: S, raw: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new SettingsError(what, describeSettingIssues(table, parsed.error.issues, raw));
}
