// Durations as people write them in suites: "90s", "5m", "1h30m", "1h2m3s".
const pattern = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds in a duration string, or undefined when it is not one (or is zero). */
export function parseDuration(text: string): number | undefined {
  const m = pattern.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [h, min, s] = [m[1], m[2], m[3]].map((x) => Number(x ?? 0));
  const total = h * 3600 + min * 60 + s;
  return total > 0 && Number.isSafeInteger(total) ? total : undefined;
}

export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || seconds === 0 ? `${s}s` : ''}`;
}
