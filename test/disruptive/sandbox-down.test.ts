// `down` leaves nothing running; `up` brings the same sandbox back.
import { isAlive } from '../../src/sandbox/processes';
import { down, status, up } from '../../src/sandbox/sandbox';
import { portInUse } from '../../src/sandbox/probe';
import { ports } from '../../src/sandbox/layout';

test('down stops every process and frees every port; up starts them again', async () => {
  const before = await status();
  expect(before.every((c) => c.healthy)).toBe(true);

  await down();
  for (const c of before) expect(isAlive(c.pid!)).toBe(false);
  for (const [name, port] of Object.entries(ports())) expect([name, await portInUse(port)]).toEqual([name, false]);
  expect((await status()).some((c) => c.pid !== undefined)).toBe(false);

  const info = await up();
  expect(info.reused).toBe(false);
  expect((await status()).every((c) => c.healthy)).toBe(true);
});
