// Prints, as one JSON object, what DuckDB sees in a Parquet file: column
// names and types, the row count, and the key-value metadata. The Go test
// (cmd/degen/duckdb_test.go) compares it with docs/schema.md's promises.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const esc = file.replaceAll("'", "''");
const columns = await q(`DESCRIBE SELECT * FROM read_parquet('${esc}')`);
const count = await q(`SELECT count(*) AS n FROM read_parquet('${esc}')`);
const kv = await q(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${esc}')`);
console.log(JSON.stringify({
  columns: columns.map(c => ({ name: c.column_name, type: c.column_type })),
  rows: Number(count[0].n),
  metadata: Object.fromEntries(kv.map(r => [r.key, r.value])),
}));
