// peer.mjs FILE OUT — the DuckDB peer of `warden scan` (bench/run.sh): runs rules.sql over the call
// records in FILE with @duckdb/node-api and writes the findings to OUT as sorted "rule,subject"
// lines, one a finding. Prints its version, threads, finding count and wall time to standard output.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';

const [file, out] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: node peer.mjs FILE OUT');
  process.exit(2);
}
const t0 = process.hrtime.bigint();
const sql = readFileSync(new URL('rules.sql', import.meta.url), 'utf8').replaceAll("'FILE'", `'${file.replaceAll("'", "''")}'`);
const db = await DuckDBInstance.create(':memory:', process.env.BENCH_DUCKDB_THREADS ? { threads: process.env.BENCH_DUCKDB_THREADS } : {});
const con = await db.connect();
const statements = await con.extractStatements(sql);
let result;
for (let i = 0; i < statements.count; i++) {
  const prepared = await statements.prepare(i);
  result = await prepared.runAndReadAll();
}
const lines = result.getRows().map(([rule, subject]) => `${rule},${subject}`).sort();
writeFileSync(out, lines.length ? lines.join('\n') + '\n' : '');
const meta = (await con.runAndReadAll("SELECT version(), current_setting('threads')")).getRows()[0];
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`duckdb ${meta[0]}, ${meta[1]} threads: ${lines.length} findings in ${secs.toFixed(2)} s`);
