// Conformance driver for the typescript-fetch style: runs one call and prints its outcome as JSON.
// Usage: node driver.mjs <path to the compiled index.js> '<request JSON>'
const [, , modulePath, requestJson] = process.argv;
const sdk = await import(modulePath);
const request = JSON.parse(requestJson);
const Client = sdk[request.client];
const options = { baseUrl: request.baseUrl };
if (request.apiKey !== null) options.apiKey = request.apiKey;
let outcome;
try {
  const client = new Client(options);
  const result = await client[request.operation](...request.args, { headers: request.headers });
  outcome = { result };
} catch (error) {
  if (error instanceof sdk.APIError) {
    outcome = {
      error: {
        status: error.status,
        code: error.code ?? null,
        message: error.apiMessage ?? null,
        body: error.body,
        headers: error.headers,
      },
    };
  } else {
    outcome = { exception: error.constructor.name, detail: String(error.message) };
  }
}
process.stdout.write(JSON.stringify(outcome));
