// Samples the API server's open-watch gauge while something runs, for its peak.
import { openWatches, scrape } from './metrics';

export async function sampleWatches(everyMs = 2_000): Promise<{ stop(): number }> {
  const base = openWatches(await scrape());
  let peak = base;
  const timer = setInterval(() => {
    // a scrape failing under load only loses one sample
    scrape().then((t) => (peak = Math.max(peak, openWatches(t))), () => {});
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak - base;
    },
  };
}
