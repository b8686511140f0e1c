import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { it } from 'vitest';
import * as ag from '../../src/index.ts';
import { registeredOps } from '../../src/ir/ops/index.ts';
const T: any = { ...tf };
async function tryit(name: string, src: string, args: () => any[]) {
  const fn = new Function('T', 'return (' + src + ')')(T);
  try {
    const st = ag.stage(fn, { scope: { T } });
    const out = await st(...args());
    const ev = ag.convert(fn, { form: 'eager', scope: { T } })(...args());
    const show = (o: any): any =>
      o instanceof tf.Tensor ? Array.from(o.dataSync()) : Array.isArray(o) ? o.map(show) : o;
    console.log(name, 'OK', JSON.stringify(show(out)), JSON.stringify(show(ev)));
  } catch (e) {
    console.log(name, 'FAIL', (e as Error).message.slice(0, 400));
  }
}
it('x', async () => {
  await tf.setBackend('cpu');
  console.log(registeredOps().join(' '));
  const xy = () => [tf.tensor1d([1, -2, 0.5]), tf.tensor1d([0.3, 0.2, -0.1]), 2];
  await tryit(
    'postinc',
    `function (x, y, n) { let f = 0; while (f++ < 6 && T.sum(x) > -5) { x = x + 0.5; } return [x, f]; }`,
    xy,
  );
  await tryit(
    'postinc2',
    `function (x, y, n) { let f = 0; while (T.sum(x) > -5 && f++ < 6) { x = x + 0.5; } return [x, f]; }`,
    xy,
  );
  await tryit(
    'preinc',
    `function (x, y, n) { let f = 0; while (++f < 7 && T.sum(x) > -5) { x = x + 0.5; } return [x, f]; }`,
    xy,
  );
  await tryit(
    'inbody',
    `function (x, y, n) { let f = 0; while (f < 6 && T.sum(x) > -5) { x = x + 0.5; f++; } return [x, f]; }`,
    xy,
  );
  await tryit(
    'assign',
    `function (x, y, n) { let f = 0; while ((f = f + 1) < 7 && T.sum(x) > -5) { x = x + 0.5; } return [x, f]; }`,
    xy,
  );
  await tryit(
    'tensorf',
    `function (x, y, n) { let f = T.scalar(0); while (f++ < 6 && T.sum(x) > -5) { x = x + 0.5; } return [x, f]; }`,
    xy,
  );
});
