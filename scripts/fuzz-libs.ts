/**
 * Third-party libraries as tests: `npm run fuzz:libs -- [--runs N] [--seed S] [--lib NAME]
 * [--only FN,FN] [--json]`.
 *
 * Every exported function of each library in test/libs (lodash-es, ramda, underscore, date-fns), converted
 * under the loader, is compared with the untouched package on N generated argument lists (default
 * 100): see test/libs/harness.ts. Prints a table per library: exported functions, preserved, fell
 * back (reasons grouped), differed (a shrunk reproduction each), skipped (with the reason); exits 1
 * when a function differed or fewer than 98% of the functions run were preserved or fell back.
 * FUZZ_LIBS_TRACE=1 prints each function as it starts on stderr, FUZZ_LIBS_TRACE=calls each call too.
 * `--json` prints the reports as JSON instead (test/libs.test.ts runs a small sample that way).
 */
import * as ag from 'autograph-ts';
import { checkLibrary, type Convert, type LibraryReport } from '../test/libs/harness.ts';
import { LIBRARIES } from '../test/libs/index.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function numberOption(name: string, fallback: number): number {
  const text = option(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    console.error(`--${name} needs a number`);
    process.exit(2);
  }
  return value;
}

/** The share of the functions run that kept their meaning, converted or fallen back. */
export const GOAL = 0.98;

const runs = numberOption('runs', 100);
const seed = numberOption('seed', 42);
const json = process.argv.includes('--json');
const lib = option('lib');
const only = option('only')?.split(',');
process.env.AUTOGRAPH_QUIET_FALLBACK = '1';

const reports: (LibraryReport & { seconds: number })[] = [];
for (const spec of LIBRARIES) {
  if (lib !== undefined && spec.name !== lib) continue;
  const started = Date.now();
  const report = await checkLibrary(spec, {
    convert: ag.convert as Convert,
    isConversionError: (e) => e instanceof ag.ConversionError,
    runs,
    seed,
    only: only && ((name) => only.includes(name)),
    onFunction: process.env.FUZZ_LIBS_TRACE
      ? (name) => console.error(`${((Date.now() - started) / 1000).toFixed(2)} s ${spec.name}.${name}`)
      : undefined,
    onCall:
      process.env.FUZZ_LIBS_TRACE === 'calls'
        ? (name, form, args) => console.error(`  ${name} (${form}) on ${args}`)
        : undefined,
  });
  reports.push({ ...report, seconds: (Date.now() - started) / 1000 });
}

const count = (r: LibraryReport) => Object.values(r.fellBack).reduce((n, names) => n + names.length, 0);
const run = (r: LibraryReport) => r.preserved.length + count(r) + r.differed.length;
const kept = (r: LibraryReport) => (run(r) === 0 ? 1 : (r.preserved.length + count(r)) / run(r));

if (json) {
  console.log(JSON.stringify(reports));
} else {
  for (const r of reports) {
    console.log(
      `\n${r.name} ${r.version}: ${r.runs} argument lists per function, seed ${seed}, ${r.seconds} s`,
    );
    console.log(`  exported functions  ${r.exported}`);
    console.log(`  preserved           ${r.preserved.length}`);
    console.log(`  fell back           ${count(r)}`);
    for (const [reason, names] of Object.entries(r.fellBack))
      console.log(`    ${reason}: ${names.join(', ')}`);
    console.log(`  differed            ${r.differed.length}`);
    for (const d of r.differed) {
      console.log(`    ${d.name} (${d.form}) on ${d.args}`);
      console.log(`      original:  ${d.expected.replace(/\n/g, '\n                 ')}`);
      console.log(`      converted: ${d.actual.replace(/\n/g, '\n                 ')}`);
    }
    console.log(`  skipped             ${Object.keys(r.skipped).length}`);
    for (const [name, reason] of Object.entries(r.skipped)) console.log(`    ${name}: ${reason}`);
    if (r.alwaysThrew.length > 0)
      console.log(`  threw on every argument list (errors compared): ${r.alwaysThrew.join(', ')}`);
    console.log(`  preserved or fell back: ${(100 * kept(r)).toFixed(1)}% of ${run(r)} run`);
  }
}
const failed = reports.some((r) => r.differed.length > 0 || kept(r) < GOAL);
process.exitCode = failed ? 1 : 0;
