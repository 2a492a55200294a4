// Calls the generated TypeScript runtime's encoders for a batch of inputs, and decodes with qs.
// Usage: node encode_batch.mjs <file URL of dist/runtime.js>  < calls.json
// A call is {fn, args} (an exported function of the runtime; encodeMultipart's bytes come back as
// text), with `parse: true` also {encoded, value: qs.parse(encoded)} (name/value pairs are first
// written as a query string), or {qs: text} (qs.parse(text)); qs gets limits high enough for any
// test value. Each answer is {value} (and `encoded`) or {error: class name, message}.
import { readFileSync } from "node:fs";
import qs from "qs";

const runtime = await import(process.argv[2]);
const calls = JSON.parse(readFileSync(0, "utf8"));

/** The limits qs needs to return every value as it was written (indices, depth, many keys). */
const QS_OPTIONS = { depth: 100, arrayLimit: 10_000, parameterLimit: 1_000_000, allowPrototypes: true };

const answers = [];
for (const call of calls) {
  try {
    if (call.qs !== undefined) {
      answers.push({ value: qs.parse(call.qs, QS_OPTIONS) });
      continue;
    }
    let value = await runtime[call.fn](...call.args);
    if (call.fn === "encodeMultipart") value = [new TextDecoder().decode(value[0]), value[1]];
    if (call.parse) {
      const encoded = typeof value === "string" ? value : new URLSearchParams(value).toString();
      answers.push({ encoded, value: qs.parse(encoded, QS_OPTIONS) });
    } else {
      answers.push({ value });
    }
  } catch (error) {
    answers.push({ error: error?.name ?? "Error", message: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(answers));
