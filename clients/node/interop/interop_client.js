#!/usr/bin/env node
// gRPC interop test client on @grpc/grpc-js.
//
// Implements the client side of grpc/grpc doc/interop-test-descriptions.md for the cases our
// gRPC layer (src/Credentials.Grpc) must pass against real clients. The .proto files are read
// from the repository's protos/ at run time with @grpc/proto-loader; nothing is generated.
//
//   node clients/node/interop/interop_client.js --server_host=127.0.0.1 --server_port=PORT --test_case=all
//
// Prints one line per case, "PASS <case>" or "FAIL <case>: <reason>", and exits non-zero if any
// case failed.
'use strict';

const http2 = require('node:http2');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTOS_DIR = path.resolve(__dirname, '..', '..', '..', 'protos');

// Every call but the deliberately short ones gets a deadline, so a server that never answers
// fails the case instead of hanging the suite.
const CALL_TIMEOUT_MS = 10000;

const ECHO_INITIAL_KEY = 'x-grpc-test-echo-initial';
const ECHO_INITIAL_VALUE = 'test_initial_metadata_value';
const ECHO_TRAILING_KEY = 'x-grpc-test-echo-trailing-bin';
const ECHO_TRAILING_VALUE = Buffer.from([0xab, 0xab, 0xab]);

const SPECIAL_STATUS_MESSAGE = '\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \u{1f608}\t\n';

// keepCase: the field names of the spec (response_size); defaults: absent fields read as
// their zero values, so an empty payload body is a zero-length Buffer, not undefined.
const packageDefinition = protoLoader.loadSync('grpc/testing/test.proto', {
  includeDirs: [PROTOS_DIR],
  keepCase: true,
  defaults: true,
  enums: String,
  longs: Number,
});
const testing = grpc.loadPackageDefinition(packageDefinition).grpc.testing;
const unaryCallDefinition = packageDefinition['grpc.testing.TestService'].UnaryCall;

class CaseFailure extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CaseFailure(message);
  }
}

function deadline(ms = CALL_TIMEOUT_MS) {
  return { deadline: new Date(Date.now() + ms) };
}

function zerosPayload(size) {
  return { type: 'COMPRESSABLE', body: Buffer.alloc(size) };
}

function checkPayload(payload, size, what = 'response') {
  check(payload != null, `${what} has no payload`);
  check(payload.body.length === size, `${what} payload body is ${payload.body.length} bytes, expected ${size}`);
  check(payload.body.equals(Buffer.alloc(size)), `${what} payload body is not all zeros`);
  // The golden message: a COMPRESSABLE payload of zeros and nothing else.
  check(payload.type === 'COMPRESSABLE', `${what} payload type is ${payload.type}, expected COMPRESSABLE`);
}

function largeUnaryRequest(fields = {}) {
  return { response_size: 314159, payload: zerosPayload(271828), ...fields };
}

function checkLargeUnaryResponse(response) {
  checkPayload(response.payload, 314159);
  // Round-tripped so that it has the same default-valued fields as a received response.
  const golden = unaryCallDefinition.responseDeserialize(
    unaryCallDefinition.responseSerialize({ payload: zerosPayload(314159) }));
  check(isDeepStrictEqual(response, golden), 'response differs from the golden response');
}

function streamingOutputRequest(responseSize, requestSize) {
  return { response_parameters: [{ size: responseSize }], payload: zerosPayload(requestSize) };
}

function checkStreamingResponses(responses, sizes) {
  check(responses.length === sizes.length, `got ${responses.length} responses, expected exactly ${sizes.length}`);
  sizes.forEach((size, index) => checkPayload(responses[index].payload, size, `response #${index + 1}`));
}

function statusName(code) {
  return Object.keys(grpc.status).find((name) => grpc.status[name] === code) ?? String(code);
}

function expectStatus(status, code, details) {
  check(status.code === code,
    `status ${statusName(status.code)} (${JSON.stringify(status.details)}), expected ${statusName(code)}`);
  if (details !== undefined) {
    check(status.details === details,
      `status message ${JSON.stringify(status.details)}, expected ${JSON.stringify(details)}`);
  }
}

// A unary or client-streaming call as a promise of everything it received: the response (or
// error), the initial metadata and the final status with its trailing metadata. grpc-js calls
// back before it emits 'status', so this waits for both.
function finished(start) {
  return new Promise((resolve) => {
    let outcome;
    let status;
    let metadata;
    const settle = () => {
      if (outcome && status) {
        resolve({ ...outcome, status, metadata });
      }
    };
    const call = start((error, response) => {
      outcome = { error, response };
      settle();
    });
    call.on('metadata', (received) => {
      metadata = received;
    });
    call.on('status', (received) => {
      status = received;
      settle();
    });
  });
}

// A server-streaming or bidi call: reads responses one by one and reports the final status.
class StreamReader {
  constructor(call) {
    this.call = call;
    this.metadata = new Promise((resolve) => call.on('metadata', resolve));
    this.status = new Promise((resolve) => call.on('status', resolve));
    // A non-OK status also arrives as 'error'; it is read from 'status', so only listen here.
    call.on('error', () => {});
    this.iterator = call[Symbol.asyncIterator]();
  }

  // The next response, or null once the stream ended (for any reason: see status).
  async next() {
    try {
      const { value, done } = await this.iterator.next();
      return done ? null : value;
    } catch {
      return null;
    }
  }

  // For a failure message: how the stream ended.
  async ending() {
    const { code, details } = await this.status;
    return `stream ended with ${statusName(code)} (${JSON.stringify(details)})`;
  }

  async readAll() {
    const responses = [];
    for (let response = await this.next(); response !== null; response = await this.next()) {
      responses.push(response);
    }
    return responses;
  }
}

function checkEchoedMetadata(initial, trailing, what) {
  const initialValues = initial.get(ECHO_INITIAL_KEY);
  check(initialValues.length === 1 && initialValues[0] === ECHO_INITIAL_VALUE,
    `${what}: initial metadata ${ECHO_INITIAL_KEY} = ${JSON.stringify(initialValues)}, expected ["${ECHO_INITIAL_VALUE}"]`);
  const trailingValues = trailing.get(ECHO_TRAILING_KEY);
  check(trailingValues.length === 1 && Buffer.isBuffer(trailingValues[0]) && trailingValues[0].equals(ECHO_TRAILING_VALUE),
    `${what}: trailing metadata ${ECHO_TRAILING_KEY} = ${JSON.stringify(trailingValues)}, expected [0xababab]`);
}

function echoMetadata() {
  const metadata = new grpc.Metadata();
  metadata.set(ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE);
  metadata.set(ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE);
  return metadata;
}

// Sends one SimpleRequest on a bare HTTP/2 stream and returns the response's headers and the
// flag byte of its first message. grpc-js decompresses inside its own filter and drops
// grpc-encoding from the metadata it hands over, so the compressed flag that
// server_compressed_unary asserts is only visible on the wire.
function rawUnaryCall(target, request) {
  const message = unaryCallDefinition.requestSerialize(request);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${target}`);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': '/grpc.testing.TestService/UnaryCall',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-accept-encoding': 'identity,gzip',
    });
    const chunks = [];
    let headers;
    let trailers = {};
    stream.on('response', (received) => {
      headers = received;
    });
    stream.on('trailers', (received) => {
      trailers = received;
    });
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      session.close();
      const body = Buffer.concat(chunks);
      resolve({ headers, trailers, compressedFlag: body.length >= 5 ? body[0] : undefined });
    });
    stream.end(frame);
  });
}

const cases = {
  async empty_unary(client) {
    const { error, response } = await finished((done) => client.EmptyCall({}, deadline(), done));
    check(!error, `call failed: ${error?.message}`);
    check(response != null, 'response is null');
  },

  async large_unary(client) {
    const { error, response } = await finished((done) => client.UnaryCall(largeUnaryRequest(), deadline(), done));
    check(!error, `call failed: ${error?.message}`);
    checkLargeUnaryResponse(response);
  },

  async client_streaming(client) {
    const { error, response } = await finished((done) => {
      const call = client.StreamingInputCall(deadline(), done);
      for (const size of [27182, 8, 1828, 45904]) {
        call.write({ payload: zerosPayload(size) });
      }
      call.end();
      return call;
    });
    check(!error, `call failed: ${error?.message}`);
    check(response.aggregated_payload_size === 74922,
      `aggregated_payload_size is ${response.aggregated_payload_size}, expected 74922`);
  },

  async server_streaming(client) {
    const sizes = [31415, 9, 2653, 58979];
    const request = { response_parameters: sizes.map((size) => ({ size })) };
    const reader = new StreamReader(client.StreamingOutputCall(request, deadline()));
    const responses = await reader.readAll();
    expectStatus(await reader.status, grpc.status.OK);
    checkStreamingResponses(responses, sizes);
  },

  async ping_pong(client) {
    const sizes = [[31415, 27182], [9, 8], [2653, 1828], [58979, 45904]];
    const call = client.FullDuplexCall(deadline());
    const reader = new StreamReader(call);
    const responses = [];
    for (const [responseSize, requestSize] of sizes) {
      call.write(streamingOutputRequest(responseSize, requestSize));
      const response = await reader.next();
      if (response === null) {
        throw new CaseFailure(`got ${responses.length} responses, expected 4: ${await reader.ending()}`);
      }
      responses.push(response);
    }
    call.end();
    responses.push(...(await reader.readAll()));
    expectStatus(await reader.status, grpc.status.OK);
    checkStreamingResponses(responses, sizes.map(([size]) => size));
  },

  async empty_stream(client) {
    const call = client.FullDuplexCall(deadline());
    const reader = new StreamReader(call);
    call.end();
    const responses = await reader.readAll();
    expectStatus(await reader.status, grpc.status.OK);
    check(responses.length === 0, `got ${responses.length} responses, expected exactly zero`);
  },

  async cancel_after_begin(client) {
    const { error, status } = await finished((done) => {
      const call = client.StreamingInputCall(deadline(), done);
      call.cancel();
      return call;
    });
    check(error != null, 'call succeeded, expected CANCELLED');
    expectStatus(status, grpc.status.CANCELLED);
  },

  async cancel_after_first_response(client) {
    const call = client.FullDuplexCall(deadline());
    const reader = new StreamReader(call);
    call.write(streamingOutputRequest(31415, 27182));
    const response = await reader.next();
    if (response === null) {
      throw new CaseFailure(`no response: ${await reader.ending()}`);
    }
    checkPayload(response.payload, 31415);
    call.cancel();
    expectStatus(await reader.status, grpc.status.CANCELLED);
  },

  async timeout_on_sleeping_server(client) {
    const call = client.FullDuplexCall(deadline(1));
    const reader = new StreamReader(call);
    call.write({ payload: zerosPayload(27182) });
    const responses = await reader.readAll();
    expectStatus(await reader.status, grpc.status.DEADLINE_EXCEEDED);
    check(responses.length === 0, `got ${responses.length} responses, expected none`);
  },

  async custom_metadata(client) {
    const unary = await finished((done) => client.UnaryCall(largeUnaryRequest(), echoMetadata(), deadline(), done));
    check(!unary.error, `UnaryCall failed: ${unary.error?.message}`);
    checkLargeUnaryResponse(unary.response);
    check(unary.metadata != null, 'UnaryCall: no initial metadata received');
    checkEchoedMetadata(unary.metadata, unary.status.metadata, 'UnaryCall');

    const call = client.FullDuplexCall(echoMetadata(), deadline());
    const reader = new StreamReader(call);
    call.write(streamingOutputRequest(314159, 271828));
    call.end();
    const responses = await reader.readAll();
    const status = await reader.status;
    expectStatus(status, grpc.status.OK);
    checkStreamingResponses(responses, [314159]);
    checkEchoedMetadata(await reader.metadata, status.metadata, 'FullDuplexCall');
  },

  async status_code_and_message(client) {
    const message = 'test status message';
    const responseStatus = { code: 2, message };
    const unary = await finished((done) => client.UnaryCall({ response_status: responseStatus }, deadline(), done));
    expectStatus(unary.status, grpc.status.UNKNOWN, message);

    const call = client.FullDuplexCall(deadline());
    const reader = new StreamReader(call);
    call.write({ response_status: responseStatus });
    call.end();
    await reader.readAll();
    expectStatus(await reader.status, grpc.status.UNKNOWN, message);
  },

  async special_status_message(client) {
    const responseStatus = { code: 2, message: SPECIAL_STATUS_MESSAGE };
    const { status } = await finished((done) => client.UnaryCall({ response_status: responseStatus }, deadline(), done));
    expectStatus(status, grpc.status.UNKNOWN, SPECIAL_STATUS_MESSAGE);
  },

  async unimplemented_method(client) {
    const { status } = await finished((done) => client.UnimplementedCall({}, deadline(), done));
    expectStatus(status, grpc.status.UNIMPLEMENTED);
  },

  async unimplemented_service(client, target) {
    const other = new testing.UnimplementedService(target, grpc.credentials.createInsecure());
    try {
      const { status } = await finished((done) => other.UnimplementedCall({}, deadline(), done));
      expectStatus(status, grpc.status.UNIMPLEMENTED);
    } finally {
      other.close();
    }
  },

  async client_compressed_unary(client, target) {
    const expectCompressed = largeUnaryRequest({ expect_compressed: { value: true } });
    // The feature probe: an uncompressed message that claims to be compressed.
    const probe = await finished((done) => client.UnaryCall(expectCompressed, deadline(), done));
    expectStatus(probe.status, grpc.status.INVALID_ARGUMENT);

    // grpc-js compresses per channel: this one gzips every message it sends.
    const gzipClient = new testing.TestService(target, grpc.credentials.createInsecure(),
      { 'grpc.default_compression_algorithm': grpc.compressionAlgorithms.gzip });
    try {
      const compressed = await finished((done) => gzipClient.UnaryCall(expectCompressed, deadline(), done));
      check(!compressed.error, `compressed call failed: ${compressed.error?.message}`);
      checkLargeUnaryResponse(compressed.response);
    } finally {
      gzipClient.close();
    }

    const uncompressed = await finished((done) =>
      client.UnaryCall(largeUnaryRequest({ expect_compressed: { value: false } }), deadline(), done));
    check(!uncompressed.error, `uncompressed call failed: ${uncompressed.error?.message}`);
    checkLargeUnaryResponse(uncompressed.response);
  },

  async server_compressed_unary(client, target) {
    for (const compressed of [true, false]) {
      const request = largeUnaryRequest({ response_compressed: { value: compressed } });
      const { error, response } = await finished((done) => client.UnaryCall(request, deadline(), done));
      check(!error, `call with response_compressed=${compressed} failed: ${error?.message}`);
      checkLargeUnaryResponse(response);

      const raw = await rawUnaryCall(target, request);
      check(raw.trailers['grpc-status'] === '0',
        `raw call with response_compressed=${compressed}: grpc-status ${raw.trailers['grpc-status']}`);
      check(raw.compressedFlag === (compressed ? 1 : 0),
        `response_compressed=${compressed}: message flag is ${raw.compressedFlag}, expected ${compressed ? 1 : 0}`
        + ` (grpc-encoding ${raw.headers['grpc-encoding']})`);
    }
  },
};

function parseArgs(argv) {
  const options = { server_host: '127.0.0.1', server_port: undefined, test_case: 'all', use_tls: 'false' };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z_]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match || !(match[1] in options)) {
      throw new Error(`unknown argument ${argv[i]}; flags: ${Object.keys(options).map((k) => `--${k}`).join(' ')}`);
    }
    options[match[1]] = match[2] ?? argv[++i];
  }
  if (!/^\d+$/.test(options.server_port ?? '')) {
    throw new Error('--server_port=PORT is required');
  }
  if (!['true', 'false'].includes(options.use_tls)) {
    throw new Error(`--use_tls must be true or false, got ${options.use_tls}`);
  }
  if (options.use_tls === 'true') {
    throw new Error('--use_tls=true is not supported: the interop server speaks cleartext HTTP/2');
  }
  if (options.test_case !== 'all' && !(options.test_case in cases)) {
    throw new Error(`unknown --test_case ${options.test_case}; one of: all, ${Object.keys(cases).join(', ')}`);
  }
  return options;
}

function describe(error) {
  if (error instanceof CaseFailure) {
    return error.message;
  }
  if (error && typeof error.code === 'number' && 'details' in error) {
    return `unexpected status ${statusName(error.code)} (${JSON.stringify(error.details)})`;
  }
  return String(error?.stack ?? error);
}

async function runCase(name, target) {
  // A client (and so a channel) per case, so one case's broken connection cannot fail the next.
  const client = new testing.TestService(target, grpc.credentials.createInsecure());
  try {
    await cases[name](client, target);
    console.log(`PASS ${name}`);
    return true;
  } catch (error) {
    console.log(`FAIL ${name}: ${describe(error)}`);
    return false;
  } finally {
    client.close();
  }
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`interop_client: ${error.message}`);
    return 2;
  }
  const target = `${options.server_host}:${options.server_port}`;
  const names = options.test_case === 'all' ? Object.keys(cases) : [options.test_case];
  let failed = 0;
  for (const name of names) {
    if (!(await runCase(name, target))) {
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
});
