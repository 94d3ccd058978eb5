// Secret values are redacted before anything is cut: a secret straddling the 4096-byte message cut,
// a line's character cap or a cut Kubernetes made itself leaves not one character of itself.
import fc from 'fast-check';
import type { V1Pod } from '@kubernetes/client-node';
import { buildResult, maxMessageBytes, type AwaitOutcome } from '../../src/core/classify';
import { digestLog } from '../../src/core/log-digest';
import { redact, redactCut, redactDeep, redactResult, redactedMark, secretValues } from '../../src/core/secrets';
import { defaultStdoutLimits } from '../../src/core/stdout';
import { validatorSchema } from '../../src/core/spec';

// Secrets of upper-case letters, fillers of 'x': no mark, cut note or filler holds one.
const secretOf = (length: number) => Array.from({ length }, (_, i) => 'QWERTYUIOPASDFGHJKLZ'[(i * 7 + length) % 20]).join('');
const holdsSecretChars = (text: string) => /[A-Z]/.test(text.replaceAll(redactedMark, ''));
const lengths = [2, 9, 600, 5000];

const spec = (secret: string) => validatorSchema.parse({ name: 'v', phase: 'deployment', image: 'example.com/v:1', env: [{ name: 'PW', value: secret, secret: true }] });

function exitedPod(message: string): V1Pod {
  const at = new Date('2026-11-22T02:00:00Z');
  return {
    metadata: { name: 'v-pod', creationTimestamp: at },
    spec: { containers: [{ name: 'validator', image: 'x' }], nodeName: 'n' },
    status: { phase: 'Failed', containerStatuses: [{ name: 'validator', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, message, startedAt: at, finishedAt: at } } }] },
  };
}

/** What the extractResult activity does: redact what it observed (pod, outcome, log), then build and cut. */
function resultOf(secret: string, message: string, log = '') {
  const v = spec(secret);
  const secrets = secretValues(v.env);
  const outcome: AwaitOutcome = { outcome: 'failed', reason: 'Error', message };
  const digest = digestLog(log, { stdout: defaultStdoutLimits, redact: (line) => redact(line, secrets) });
  return redactResult(buildResult(v, 'job', redactDeep(outcome, secrets), redactDeep(exitedPod(message), secrets), digest), secrets);
}

describe('a secret straddling a cut', () => {
  test.each(lengths)('the 4096-byte message cut keeps no part of a %i-character secret', (length) => {
    const secret = secretOf(length);
    // The secret's first `before` bytes fall before the cut (all of the cut, for a secret longer than it).
    for (const before of [1, Math.floor(length / 2), length - 1].map((n) => Math.min(n, maxMessageBytes)).filter((n) => n > 0 && n < length)) {
      const message = `${'x'.repeat(maxMessageBytes - before)}${secret}${'x'.repeat(50)}`;
      const { message: kept } = resultOf(secret, message);
      expect(new TextEncoder().encode(kept).length).toBeLessThanOrEqual(maxMessageBytes + '... [truncated]'.length);
      expect(holdsSecretChars(kept)).toBe(false);
    }
  });

  test.each(lengths)('a message Kubernetes cut inside a %i-character secret keeps no part of it', (length) => {
    const secret = secretOf(length);
    // The kubelet keeps 4096 bytes of the termination file (its end), or the log's last 2048 (its start).
    const endCut = `${'x'.repeat(maxMessageBytes - Math.ceil(length / 2))}${secret}`.slice(0, maxMessageBytes);
    const startCut = `${secret}${'x'.repeat(2048)}`.slice(Math.ceil(length / 2) - 2048 - length);
    for (const message of [endCut, startCut]) expect(holdsSecretChars(resultOf(secret, message).message)).toBe(false);
  });

  test.each(lengths)("a line's character cap and the stdout byte cap keep no part of a %i-character secret", (length) => {
    const secret = secretOf(length);
    const { maxLineChars, maxBytes } = defaultStdoutLimits;
    const lines = [`${'x'.repeat(maxLineChars - 1)}${secret}`, `${'x'.repeat(Math.max(0, maxLineChars - Math.ceil(length / 2)))}${secret}x`];
    // Enough lines to pass the byte cap, a secret in each, so the oldest kept line sits at the cut.
    const log = Array.from({ length: Math.ceil((2 * maxBytes) / maxLineChars) }, (_, i) => lines[i % 2]).join('\n');
    const result = resultOf(secret, 'done', log);
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stdout.length).toBeGreaterThan(10);
    for (const line of result.stdout) expect(holdsSecretChars(line)).toBe(false);
  });

  test('any secret at any cut position: redactCut leaves none of it at a cut edge', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 40 }), fc.nat(), fc.nat(), (secret, around, a, b) => {
        const whole = `${around}${secret}${around}`;
        const from = a % (whole.length + 1);
        const to = from + (b % (whole.length - from + 1));
        const cut = redactCut(whole.slice(from, to), [secret], { start: true, end: true });
        // What is left of the secret's span, if anything, is whole text outside it or the mark.
        const span = [Math.max(from, around.length), Math.min(to, around.length + secret.length)];
        if (span[1] - span[0] >= 1 && span[1] - span[0] < secret.length) expect(cut).toContain(redactedMark);
        // The mark's own letters are no leak (a secret "r" is "in" "[redacted]"): look outside it.
        expect(cut.split(redactedMark).some((part) => part.includes(secret))).toBe(false);
      }),
    );
  });
});

describe('redact', () => {
  test('replaces every occurrence in one pass, longest first, never inside its own mark', () => {
    // "act" would hit the mark "[redacted]" if marks were searched again.
    expect(redact('a act and hunter2act', ['hunter2act', 'act'])).toBe(`a ${redactedMark} and ${redactedMark}`);
    expect(redact('nothing here', [])).toBe('nothing here');
    expect(redact('a.b*c a+b', ['.b*c', 'a+b'])).toBe(`a${redactedMark} ${redactedMark}`);
  });

  test('catches a value as go test -json writes it, and each long line of a multi-line one', () => {
    const pem = '-----BEGIN KEY-----\nMIIBVQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END KEY-----';
    const secrets = secretValues(spec(pem).env);
    expect(redact(JSON.stringify({ Output: `key: ${pem}` }), secrets)).toBe(`{"Output":"key: ${redactedMark}"}`);
    expect(redact('line MIIBVQIBADANBgkq seen', secrets)).toBe(`line ${redactedMark} seen`);
    expect(secretValues(spec('say "hi"\\').env)).toEqual(['say \\"hi\\"\\\\', 'say "hi"\\']);
  });

  test('redactCut redacts only at the edges it is told were cut', () => {
    expect(redactCut('pw=hun', ['hunter2'], { end: true })).toBe(`pw=${redactedMark}`);
    expect(redactCut('pw=hun', ['hunter2'], {})).toBe('pw=hun');
    expect(redactCut('er2 done', ['hunter2'], { start: true })).toBe(`${redactedMark} done`);
    expect(redactCut('hunter2 and hunt', ['hunter2'], { end: true })).toBe(`${redactedMark} and ${redactedMark}`);
  });

  test('redactDeep copies plain data, keeps dates and redacts every string', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const pod = { status: { message: 'pw hunter2', startTime: at, list: ['hunter2', 3] } };
    const out = redactDeep(pod, ['hunter2']);
    expect(out).toEqual({ status: { message: `pw ${redactedMark}`, startTime: at, list: [redactedMark, 3] } });
    expect(out.status.startTime).toBe(at);
    expect(pod.status.message).toBe('pw hunter2');
    expect(redactDeep(pod, [])).toBe(pod);
  });
});
