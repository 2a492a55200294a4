// Conformance driver for the typescript-fetch style: runs one call and prints its outcome as JSON.
// Usage: node driver.mjs <path to the compiled index.js> '<request JSON>'
//
// Request: {client, operation, args, baseUrl, apiKey, headers} and optionally
//   clientOptions   merged last into the client's constructor options (maxRetries, retryBackoffMs, ...)
//   requestOptions  merged last into the per-request options (maxRetries, idempotencyKey, timeoutMs, ...)
//   params          the `params` argument after the positional args; given only to methods that take
//                   one (an empty object for another method is dropped, a non-empty one is refused);
//                   a `{"$bytes": base64}` value, at any depth, is passed as a Uint8Array
//   mode            "call" (default) | "raw" (`<op>WithResponse`) | "iterate" (`<op>Iter`, every item)
//   logDebug        collect the client's debug lines as `logs: [[message, details], ...]`
//   collectUnknown  collect the onUnknown events as `unknown: [{kind, path, value}, ...]`
//   inspect         a JSON pointer of the result: `setAside` (mismatchedFields of the object there)
//                   and `typed` (each such property as the object holds it, null when absent)
// Results are written as received (`asReceived`: values the client set aside are written back).
// Outcome: {result} | {raw: {status, headers, body, data}} | {items} | {error: {status, code, message,
//   body, headers, type}} for APIError and its subclasses | {exception, detail} for anything else;
//   plus `logs` and `unknown` when asked for. An ArrayBuffer or Uint8Array result (a binary response)
//   is written as `{"$bytes": base64}`, a void one as null.
const [, , modulePath, requestJson] = process.argv;
const sdk = await import(modulePath);
const request = JSON.parse(requestJson);
const Client = sdk[request.client];
const mode = request.mode ?? "call";
const logs = [];
const unknown = [];
const options = { baseUrl: request.baseUrl };
if (request.apiKey !== null && request.apiKey !== undefined) options.apiKey = request.apiKey;
if (request.logDebug) options.logger = { debug: (message, details) => logs.push([message, details ?? null]) };
if (request.collectUnknown) options.onUnknown = (event) => unknown.push(event);
Object.assign(options, request.clientOptions ?? {});
const requestOptions = { headers: request.headers ?? {}, ...(request.requestOptions ?? {}) };

/** JSON has no bytes: `{"$bytes": base64}` becomes a Uint8Array, inside objects and arrays too. */
function fromJson(value) {
  if (Array.isArray(value)) return value.map(fromJson);
  if (typeof value !== "object" || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "$bytes" && typeof value.$bytes === "string") {
    return new Uint8Array(Buffer.from(value.$bytes, "base64"));
  }
  return Object.fromEntries(keys.map((key) => [key, fromJson(value[key])]));
}

/** The other way: bytes in a result become `{"$bytes": base64}`; undefined (a void result) null. */
function toJson(value) {
  if (value === undefined) return null;
  if (value instanceof ArrayBuffer) return { $bytes: Buffer.from(value).toString("base64") };
  if (ArrayBuffer.isView(value)) {
    return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
  }
  return sdk.asReceived(value);
}

/** Whether a generated method has a `params` argument (the compiled code keeps parameter names). */
function takesParams(method) {
  const source = Function.prototype.toString.call(method);
  const list = source.slice(source.indexOf("(") + 1, source.indexOf(")"));
  return list.split(",").some((parameter) => parameter.split("=")[0].trim() === "params");
}

/** The positional args, then `params` when the method takes them. */
function argumentsFor(method) {
  if (typeof method !== "function") throw new Error(`no method ${request.operation} for mode ${mode}`);
  const args = [...(request.args ?? [])];
  const params = fromJson(request.params ?? {});
  if (takesParams(method)) args.push(params);
  else if (Object.keys(params).length > 0) throw new Error(`${request.operation} takes no params`);
  return args;
}

let outcome;
try {
  const client = new Client(options);
  const name = request.operation + { call: "", raw: "WithResponse", iterate: "Iter" }[mode];
  const method = client[name];
  const args = argumentsFor(method);
  if (mode === "raw") {
    const { status, headers, body, data } = await method.call(client, ...args, requestOptions);
    outcome = { raw: { status, headers, body, data: toJson(data) } };
  } else if (mode === "iterate") {
    const items = [];
    for await (const item of method.call(client, ...args, requestOptions)) items.push(toJson(item));
    outcome = { items };
  } else {
    const result = await method.call(client, ...args, requestOptions);
    outcome = { result: toJson(result) };
    if (request.inspect !== undefined && request.inspect !== null) {
      let holder = result;
      for (const key of request.inspect.split("/").slice(1)) holder = holder[key];
      outcome.setAside = sdk.mismatchedFields(holder);
      outcome.typed = Object.fromEntries(Object.keys(outcome.setAside).map((key) => [key, holder[key] ?? null]));
    }
  }
} catch (error) {
  if (error instanceof sdk.APIError) {
    const connection = sdk.APIConnectionError !== undefined && error instanceof sdk.APIConnectionError;
    outcome = {
      error: {
        status: error.status,
        code: error.code ?? null,
        // The API's message; for a connection error or timeout, what went wrong.
        message: connection ? error.message : (error.apiMessage ?? null),
        body: error.body,
        headers: error.headers,
        type: error.name,
      },
    };
  } else {
    const name = error?.constructor?.name ?? typeof error;
    outcome = { exception: name, detail: String(error?.message ?? error) };
  }
}
if (request.logDebug) outcome.logs = logs;
if (request.collectUnknown) outcome.unknown = unknown;
process.stdout.write(JSON.stringify(outcome));
