// Codec keys: AES-256 keys by key ID, from the environment or a key file/directory. The primary
// key encrypts; every key decrypts what it once encrypted, so rotation is "add a key, make it
// primary, keep the old ones until no history needs them".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';

export const keyEnv = { keys: 'VERDICT_CODEC_KEYS', primary: 'VERDICT_CODEC_KEY_ID', file: 'VERDICT_CODEC_KEY_FILE' } as const;

/** Where keys come from, for error messages that tell the reader what to change. */
export const keySources = `${keyEnv.keys}=id:base64key,... , ${keyEnv.file}=<file of id:base64key lines, or a directory of <id>.key files>, primary chosen by ${keyEnv.primary}`;

export class CodecConfigError extends Error {}

export interface KeyRing {
  primary: string;
  keys: ReadonlyMap<string, Buffer>;
}

const keyId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'key IDs are 1-64 letters, digits, ".", "_" or "-"');
// Never echo key material in a message: name only its source and what is wrong with it.
const keyBytes = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64 (e.g. from `openssl rand -base64 32`)')
  .transform((s) => Buffer.from(s, 'base64'))
  .refine((b) => b.length === 32, 'must decode to exactly 32 bytes (AES-256): generate one with `openssl rand -base64 32`');
const entry = z.object({ source: z.string(), id: keyId, key: keyBytes });

interface RawKey {
  source: string;
  id: string;
  key: string;
}

function parsePairs(text: string, source: string, separator: RegExp): RawKey[] {
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'))
    .map((pair, i) => {
      const at = pair.indexOf(':');
      if (at < 0) throw new CodecConfigError(`${source}: entry ${i + 1} must be "id:base64key"`);
      return { source: `${source} entry ${i + 1}`, id: pair.slice(0, at).trim(), key: pair.slice(at + 1).trim() };
    });
}

function readKeyPath(path: string): RawKey[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new CodecConfigError(`${keyEnv.file}=${path}: no such file or directory`);
  }
  if (!isDir) return parsePairs(readFileSync(path, 'utf8'), `${keyEnv.file} (${path})`, /\r?\n/);
  return readdirSync(path)
    .filter((f) => f.endsWith('.key'))
    .sort()
    .map((f) => ({ source: `${keyEnv.file} (${join(path, f)})`, id: basename(f, '.key'), key: readFileSync(join(path, f), 'utf8').trim() }));
}

/** The key ring the environment describes, or undefined when no keys are configured at all. */
export function keyRingFromEnv(env: NodeJS.ProcessEnv = process.env): KeyRing | undefined {
  const inline = env[keyEnv.keys]?.trim();
  const path = env[keyEnv.file]?.trim();
  if (!inline && !path) {
    if (env[keyEnv.primary]) throw new CodecConfigError(`${keyEnv.primary} is set but no keys are: set ${keyEnv.keys} or ${keyEnv.file}`);
    return undefined;
  }
  const raw = [...(inline ? parsePairs(inline, keyEnv.keys, /,/) : []), ...(path ? readKeyPath(path) : [])];
  return keyRing(raw, env[keyEnv.primary]?.trim() || undefined);
}

/** Validates every key (all problems at once) and picks the primary: the named one, else the first. */
export function keyRing(raw: RawKey[], primary?: string): KeyRing {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  for (const r of raw) {
    const parsed = entry.safeParse(r);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `${r.source}: ${i.path[0] === 'id' ? `key ID "${r.id}"` : `key "${r.id}"`} ${i.message}`));
    } else if (keys.has(parsed.data.id)) {
      problems.push(`${r.source}: key ID "${r.id}" is defined twice; each ID must name one key`);
    } else keys.set(parsed.data.id, parsed.data.key);
  }
  if (raw.length === 0) problems.push(`no keys found (${keySources})`);
  if (primary !== undefined && !keys.has(primary)) problems.push(`${keyEnv.primary}=${primary} names no configured key (configured: ${[...keys.keys()].join(', ') || 'none'})`);
  if (problems.length) throw new CodecConfigError(`payload codec keys:\n${problems.join('\n')}`);
  return { primary: primary ?? keys.keys().next().value!, keys };
}
