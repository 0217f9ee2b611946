// Reads degen Parquet with DuckDB for the Go tests (cmd/degen/duckdb_test.go).
//
//   node duckcheck.mjs FILE             one JSON object: what DuckDB sees in a
//                                       Parquet file (column names and types,
//                                       row count, key-value metadata)
//   node duckcheck.mjs --sql SQL DIR    runs the statements of the file SQL
//                                       (separated by ";" at a line end), with
//                                       every 'results/ in them pointing at
//                                       DIR; prints one JSON object with each
//                                       statement's rows
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

if (process.argv[2] === '--sql') {
  const dir = process.argv[4].replaceAll("'", "''").replace(/\/$/, '');
  const text = readFileSync(process.argv[3], 'utf8').replaceAll("'results/", `'${dir}/`);
  const statements = text.split(/;\s*$/m).map(s => s.trim()).filter(s => s.replace(/--.*$/gm, '').trim() !== '');
  const results = [];
  for (const sql of statements) {
    results.push({ sql, rows: await q(sql) });
  }
  console.log(JSON.stringify({ statements: results }));
} else {
  const esc = process.argv[2].replaceAll("'", "''");
  const columns = await q(`DESCRIBE SELECT * FROM read_parquet('${esc}')`);
  const count = await q(`SELECT count(*) AS n FROM read_parquet('${esc}')`);
  const kv = await q(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${esc}')`);
  console.log(JSON.stringify({
    columns: columns.map(c => ({ name: c.column_name, type: c.column_type })),
    rows: Number(count[0].n),
    metadata: Object.fromEntries(kv.map(r => [r.key, r.value])),
  }));
}
