// Does the generated fast check (`fitsSchema`, one compiled function a model in schema.ts) answer
// exactly what walking a value reports (`findUnknown`: a type_mismatch or missing_required)?
// Usage: node check_agreement.mjs <file URL of dist/runtime.js> <seed> <values per model>
// Values are made from each model's tags by a seeded generator, then mutated at random (a value of
// another kind, a required property dropped, null, unknown properties and enum values). Prints
// {checked, fitting, disagreements: [{model, value, fits, walked}]} (the first 20).
const [, , runtimeUrl, seedText, countText] = process.argv;
const runtime = await import(runtimeUrl);
const { MODELS, ENUMS } = await import(new URL("./schema.js", runtimeUrl).href);

let seed = Number(seedText) >>> 0 || 1;
function random() {
  // xorshift32: the same values on every run and machine
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 4294967296;
}
const chance = (p) => random() < p;
const pick = (items) => items[Math.floor(random() * items.length)];

const KINDS = ["string", "number", "boolean", "null", "object", "array"];
function valueOfKind(kind) {
  switch (kind) {
    case "string": return pick(["", "x", "inv_1", "2024-05-01T12:00:00Z"]);
    case "number": return pick([0, 1, -2.5, 1e21]);
    case "boolean": return chance(0.5);
    case "null": return null;
    case "object": return chance(0.5) ? {} : { unexpected: 1 };
    default: return chance(0.5) ? [] : [1, "a"];
  }
}

/** A value for a tag, mostly of its shape; `depth` stops recursive models. */
function generate(tag, depth) {
  if (chance(0.04)) return valueOfKind(pick(KINDS)); // any kind at all
  if (typeof tag === "string") return tag === "any" ? valueOfKind(pick(KINDS)) : valueOfKind(tag);
  if ("model" in tag) return generateModel(tag.model, depth + 1);
  if ("enum" in tag) {
    const known = ENUMS.get(tag.enum) ?? [];
    return known.length > 0 && chance(0.85) ? pick(known) : "not_a_listed_value";
  }
  if ("array" in tag) return depth > 4 ? [] : Array.from({ length: Math.floor(random() * 3) }, () => generate(tag.array, depth + 1));
  if ("map" in tag) {
    const out = {};
    if (depth <= 4) for (let i = Math.floor(random() * 3); i > 0; i--) out[`k${i}`] = generate(tag.map, depth + 1);
    return out;
  }
  if ("nullable" in tag) return chance(0.2) ? null : generate(tag.nullable, depth);
  const variant = pick(tag.oneOf);
  const value = generate(variant, depth);
  if (tag.discriminator && typeof variant === "object" && "model" in variant && value && typeof value === "object") {
    const [property, mapping] = tag.discriminator;
    const hit = mapping.find(([, model]) => model === variant.model);
    if (hit && chance(0.9)) value[property] = hit[0];
    else if (chance(0.5)) value[property] = "an_unknown_kind";
  }
  return value;
}

function generateModel(name, depth) {
  const schema = MODELS.get(name);
  const out = {};
  if (schema === undefined) return out;
  for (const [key, tag] of schema.fields) {
    const required = schema.required.includes(key);
    if (required ? chance(0.05) : depth > 3 || chance(0.4)) continue; // a required one sometimes missing
    out[key] = chance(0.05) ? null : generate(tag, depth);
  }
  if (chance(0.2)) out.undocumented = valueOfKind(pick(KINDS));
  if (schema.extra !== null && chance(0.5)) out.extra_key = generate(schema.extra, depth);
  return out;
}

const count = Number(countText);
let checked = 0;
let fitting = 0;
const disagreements = [];
for (const name of MODELS.keys()) {
  for (let i = 0; i < count; i++) {
    const value = JSON.parse(JSON.stringify(generateModel(name, 0)));
    const fits = runtime.fitsSchema(value, { model: name });
    let walked = true;
    runtime.findUnknown(value, { model: name }, "", (event) => {
      if (event.kind === "type_mismatch" || event.kind === "missing_required") walked = false;
    });
    checked += 1;
    if (fits) fitting += 1;
    if (fits !== walked && disagreements.length < 20) disagreements.push({ model: name, value, fits, walked });
  }
}
process.stdout.write(JSON.stringify({ checked, fitting, disagreements }));
