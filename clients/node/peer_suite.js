#!/usr/bin/env node
// The Node grpc-js peer suite: real @grpc/grpc-js against the real Credentials server.
//
//   node clients/node/peer_suite.js [--case NAME]...
//
// The same cases as clients/python/peer_suite.py: every case calls the server's own services as a
// grpc-js application would and checks only what the gRPC protocol documents (reflection, health,
// metadata, deadlines, status details, streaming, compression) or what the Credentials contract
// says (protos/credentials/v1, README). clients/run-interop.sh starts the server and passes what
// the cases need in the environment: CREDENTIALS_ADDRESS (host:port), PEERS_COMMITTEE (a seeded
// committee code) and PEERS_{COMMITTEE,PLATFORM,EMPLOYER}_TOKEN.
//
// Prints "PASS <case>" or "FAIL <case>: <reason>" per case and "node: N passed, N failed"; exits 1
// when a case failed. The .proto files are loaded at run time (protos.js); nothing is generated.
'use strict';

const zlib = require('node:zlib');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');
const descriptor = require('protobufjs/ext/descriptor');
const {
  CREDENTIALS_SERVICES, LOADER_OPTIONS, CaseFailure, Peer, check, deadline, expectCode, expectOk, messageFrame, mistyped,
  rawCall, readAll, residentId, statusName, unary,
} = require('./peer');
const { ProtosNotFound } = require('./protos');

// --- Reflection ------------------------------------------------------------------------------

// Sends the requests on one ServerReflectionInfo call of grpc.reflection.<version>; the answers.
async function reflect(peer, version, requests) {
  const call = peer.client(`grpc.reflection.${version}.ServerReflection`).ServerReflectionInfo(deadline());
  const answers = readAll(call);
  requests.forEach((request) => call.write(request));
  call.end();
  const received = await answers;
  check(received.length === requests.length, `${requests.length} reflection requests got ${received.length} answers`);
  return received;
}

function listServicesCase(version) {
  return async (peer) => {
    const [answer] = await reflect(peer, version, [{ list_services: '' }]);
    check(answer.message_response === 'list_services_response', `answered ${answer.message_response}`);
    const names = new Set(answer.list_services_response.service.map((s) => s.name));
    const missing = [...CREDENTIALS_SERVICES, 'grpc.health.v1.Health'].filter((name) => !names.has(name));
    check(missing.length === 0, `the list lacks ${missing.join(', ')} (got ${[...names].sort().join(', ')})`);
  };
}

// The file defining symbol and all it imports, asked through reflection (file_containing_symbol,
// then file_by_filename for what is missing): a Map of name to FileDescriptorProto.
async function resolveFiles(peer, symbol) {
  const files = new Map();
  const add = (answer) => {
    check(answer.message_response === 'file_descriptor_response',
      `answered ${answer.message_response}: ${answer.error_response?.error_message}`);
    for (const bytes of answer.file_descriptor_response.file_descriptor_proto) {
      const file = descriptor.FileDescriptorProto.decode(bytes);
      if (!files.has(file.name)) {
        files.set(file.name, file);
      }
    }
  };
  (await reflect(peer, 'v1', [{ file_containing_symbol: symbol }])).forEach(add);
  for (;;) {
    const missing = [...new Set([...files.values()].flatMap((f) => f.dependency ?? []))].filter((d) => !files.has(d));
    if (missing.length === 0) {
      return files;
    }
    (await reflect(peer, 'v1', missing.map((name) => ({ file_by_filename: name })))).forEach(add);
  }
}

function rootOf(files) {
  return protobuf.Root.fromDescriptor(descriptor.FileDescriptorSet.create({ file: [...files.values()] }));
}

function shape(service) {
  return Object.values(service.methods).map((m) => [m.name, m.resolvedRequestType.fullName,
    m.resolvedResponseType.fullName, Boolean(m.requestStream), Boolean(m.responseStream)].join(' ')).sort();
}

async function reflectionFileDescriptors(peer) {
  const files = await resolveFiles(peer, 'credentials.v1.CertificateService');
  for (const name of ['credentials/v1/certificates.proto', 'google/type/date.proto', 'google/protobuf/timestamp.proto']) {
    check(files.has(name), `the resolved files lack ${name} (got ${[...files.keys()].sort().join(', ')})`);
  }
  const reflected = rootOf(files);
  reflected.resolveAll();
  const [got, want] = [reflected, peer.root].map((r) => shape(r.lookupService('credentials.v1.CertificateService')));
  check(JSON.stringify(got) === JSON.stringify(want), `reflection describes ${got}, the protos ${want}`);
  const [answer] = await reflect(peer, 'v1', [{ file_containing_symbol: 'credentials.v1.NoSuchMessage' }]);
  check(answer.message_response === 'error_response' && answer.error_response.error_code !== 0,
    `an unknown symbol answered ${answer.message_response}`);
}

async function reflectionDescriptorsCall(peer) {
  // Only what reflection said: the client and its messages come from its descriptors.
  const files = await resolveFiles(peer, 'credentials.v1.VerificationService');
  const set = descriptor.FileDescriptorSet.encode({ file: [...files.values()] }).finish();
  const pkg = grpc.loadPackageDefinition(protoLoader.loadFileDescriptorSetFromBuffer(Buffer.from(set), LOADER_OPTIONS));
  const client = peer.client('credentials.v1.VerificationService', {}, pkg);
  try {
    const response = expectOk(await unary(client, 'ListSigningKeys', {}), 'ListSigningKeys ');
    check(response.keys.length >= 1 && response.keys[0].key_id, `ListSigningKeys answered ${JSON.stringify(response)}`);
  } finally {
    client.close();
  }
}

// --- Health ----------------------------------------------------------------------------------

async function healthCheck(peer) {
  const health = peer.client('grpc.health.v1.Health');
  const response = expectOk(await unary(health, 'Check', { service: '' }), 'Check ');
  check(response.status === 'SERVING', `the server is ${response.status}`);
  // The health protocol: a service the server does not know is NOT_FOUND.
  expectCode(await unary(health, 'Check', { service: 'credentials.v1.NoSuchService' }), grpc.status.NOT_FOUND);
}

async function healthWatch(peer) {
  for (const [service, expected] of [['', 'SERVING'], ['credentials.v1.NoSuchService', 'SERVICE_UNKNOWN']]) {
    const call = peer.client('grpc.health.v1.Health').Watch({ service }, deadline());
    call.on('error', () => {}); // the cancellation below ends it with CANCELLED
    const first = await new Promise((resolve, reject) => {
      call.once('data', resolve);
      call.once('status', (status) => reject(new CaseFailure(`watch ended: ${statusName(status.code)} ${status.details}`)));
    }).finally(() => call.cancel()); // a watch never ends by itself
    check(first.status === expected, `watch '${service}': first status ${first.status}, expected ${expected}`);
  }
}

// --- A real method with metadata -------------------------------------------------------------

async function metadataIssueGetVerify(peer) {
  // The bearer token says who calls; the x-request-id the client sends comes back in the response headers.
  let requestId = `peers-node-${peer.runId}-issue`;
  const issued = await peer.issue('metadata', { 'x-request-id': requestId });
  const { certificate } = expectOk(issued, 'IssueCertificate ');
  check(issued.metadata?.get('x-request-id')[0] === requestId,
    `IssueCertificate: x-request-id came back as ${issued.metadata?.get('x-request-id')}, sent ${requestId}`);
  check(certificate.number.startsWith(`${peer.committee}-2024-`), `issued number ${certificate.number}`);
  check(certificate.state === 'CERTIFICATE_STATE_VALID', `issued in state ${certificate.state}`);
  requestId = `peers-node-${peer.runId}-get`;
  const got = await unary(peer.client('credentials.v1.CertificateService'), 'GetCertificate',
    { number: certificate.number }, peer.auth('committee', { 'x-request-id': requestId }));
  expectOk(got, 'GetCertificate ');
  check(got.metadata?.get('x-request-id')[0] === requestId,
    `GetCertificate: x-request-id came back as ${got.metadata?.get('x-request-id')}, sent ${requestId}`);
  check(got.response.certificate.number === certificate.number && got.response.certificate.qr_text === certificate.qr_text,
    'GetCertificate answered another certificate');
  const verified = expectOk(await peer.verify(certificate.number), 'VerifyCertificate ');
  check(verified.result === 'VERIFICATION_RESULT_VALID', `verified ${verified.result}`);
  peer.certificate = certificate;
}

// --- Deadlines -------------------------------------------------------------------------------

async function deadlineExceeded(peer) {
  // A bidi VerifyStream the client keeps open (nothing sent, not half-closed): the server waits
  // for requests, so nothing can end the call before its 1 s deadline.
  const started = Date.now();
  const call = peer.client('credentials.v1.VerificationService').VerifyStream(peer.auth('employer'), deadline(1000));
  let error;
  try {
    await readAll(call);
  } catch (e) {
    error = e;
  }
  const took = (Date.now() - started) / 1000;
  check(error, 'the held-open stream ended without an error');
  check(error.code === grpc.status.DEADLINE_EXCEEDED, `got ${statusName(error.code)} (${error.details}), expected DEADLINE_EXCEEDED`);
  check(took >= 0.9 && took < 5, `DEADLINE_EXCEEDED after ${took.toFixed(2)}s with a 1 s deadline`);
  // The server keeps the deadline too: a bare HTTP/2 call with grpc-timeout 1S, left open, is
  // ended by the server (DEADLINE_EXCEEDED, or a reset stream) soon after the second.
  const rawStarted = Date.now();
  const raw = await rawCall(peer.address, '/credentials.v1.VerificationService/VerifyStream', undefined,
    { 'grpc-timeout': '1S', authorization: `Bearer ${peer.tokens.employer}` });
  const rawTook = (Date.now() - rawStarted) / 1000;
  check(raw.status === String(grpc.status.DEADLINE_EXCEEDED) || (raw.status === undefined && raw.rstCode !== 0),
    `the server ended a call past its grpc-timeout with grpc-status ${raw.status}, RST_STREAM ${raw.rstCode}`);
  check(rawTook >= 0.9 && rawTook < 5, `the server ended a call with grpc-timeout 1S after ${rawTook.toFixed(2)}s`);
  // The server is still there for the next call.
  const ping = expectOk(await unary(peer.client('credentials.v1.DiagnosticsService'), 'Ping', {}), 'Ping ');
  check(ping.message === 'pong', `Ping after the deadline answered ${ping.message}`);
}

async function deadlineGenerous(peer) {
  const { number } = await peer.issued();
  const verified = expectOk(await peer.verify(number, deadline(120000)), 'VerifyCertificate ');
  check(verified.result === 'VERIFICATION_RESULT_VALID', `verified ${verified.result}`);
  const messages = await readAll(peer.client('credentials.v1.LedgerService').StreamEvents({}, peer.auth('platform'), deadline(120000)));
  check(messages.length > 0 && messages.at(-1).checkpoint, 'StreamEvents with a 120 s deadline did not end with its checkpoint');
}

// --- Status details --------------------------------------------------------------------------

async function errorInvalidArgument(peer) {
  const { number } = await peer.issued();
  const cases = [
    ['a mistyped number', () => peer.verify(mistyped(number)), 'number'],
    ['a bad check character in the ID number', () => peer.issue('invalid', {}, mistyped(residentId())), 'spec.holder.document_number'],
  ];
  for (const [what, call, field] of cases) {
    const error = expectCode(await call(), grpc.status.INVALID_ARGUMENT, `${what}: `);
    const { status, details } = peer.statusDetails(error);
    check(status.code === grpc.status.INVALID_ARGUMENT && status.message === error.details,
      `${what}: google.rpc.Status is ${status.code} ${JSON.stringify(status.message)}, the call's status ${JSON.stringify(error.details)}`);
    const badRequest = details['google.rpc.BadRequest'];
    check(badRequest, `${what}: details are ${Object.keys(details)}, no BadRequest`);
    const fields = badRequest.field_violations.map((v) => v.field);
    check(fields.includes(field), `${what}: BadRequest names ${fields}, not ${field}`);
  }
}

async function errorFailedPrecondition(peer) {
  const { certificate } = expectOk(await peer.issue('revoked'), 'IssueCertificate ');
  const revoke = () => unary(peer.client('credentials.v1.CertificateService'), 'RevokeCertificate', {
    number: certificate.number,
    revocation: { reason: 'REVOCATION_REASON_ISSUED_IN_ERROR', decision_document: '大人社发〔2024〕40号' },
  }, peer.auth('committee'));
  expectOk(await revoke(), 'the first RevokeCertificate ');
  const error = expectCode(await revoke(), grpc.status.FAILED_PRECONDITION, 'the second RevokeCertificate: ');
  const info = peer.statusDetails(error).details['google.rpc.ErrorInfo'];
  check(info, 'no ErrorInfo in the details');
  check(info.reason === 'CERTIFICATE_ALREADY_REVOKED' && info.domain === 'credentials.v1',
    `ErrorInfo reason ${info.reason}, domain ${info.domain}`);
}

// A refusal is a gRPC status (HTTP 200 with grpc-status), not an HTTP 401 or 403 that clients
// translate into a status of their own (PROTOCOL-HTTP2.md, http-grpc-status-mapping.md).
async function expectGrpcRefusal(peer, path, authorization, code, what) {
  const raw = await rawCall(peer.address, path, messageFrame(Buffer.alloc(0), false), authorization ? { authorization } : {});
  check(raw.headers[':status'] === 200 && raw.status === String(code),
    `${what}, on the wire: HTTP ${raw.headers[':status']} with grpc-status ${raw.status}, expected HTTP 200 with ${code}`);
}

async function errorUnauthenticated(peer) {
  const token = peer.tokens.committee;
  const unknown = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
  for (const [what, authorization] of [['no token', undefined], ['an unknown token', `Bearer ${unknown}`]]) {
    const metadata = new grpc.Metadata();
    if (authorization) {
      metadata.set('authorization', authorization);
    }
    const error = expectCode(await unary(peer.client('credentials.v1.CertificateService'), 'IssueCertificate', {}, metadata),
      grpc.status.UNAUTHENTICATED, `${what}: `);
    check(/token/i.test(error.details), `${what}: the message ${JSON.stringify(error.details)} does not say what is wrong`);
    await expectGrpcRefusal(peer, '/credentials.v1.CertificateService/IssueCertificate', authorization,
      grpc.status.UNAUTHENTICATED, what);
  }
}

async function errorPermissionDenied(peer) {
  for (const [service, method, role] of [['credentials.v1.AuditService', 'ListAuditRecords', 'committee'],
    ['credentials.v1.CertificateService', 'IssueCertificate', 'platform']]) {
    const what = `${method} as ${role}`;
    const error = expectCode(await unary(peer.client(service), method, {}, peer.auth(role)), grpc.status.PERMISSION_DENIED, `${what}: `);
    check(error.details, `${what}: PERMISSION_DENIED without a message`);
    await expectGrpcRefusal(peer, `/${service}/${method}`, `Bearer ${peer.tokens[role]}`, grpc.status.PERMISSION_DENIED, what);
  }
}

// --- Streaming, compression, unknown methods -------------------------------------------------

async function serverStreaming(peer) {
  await peer.issued();
  const messages = await readAll(peer.client('credentials.v1.LedgerService').StreamEvents({ batch_size: 1 }, peer.auth('platform'), deadline()));
  check(messages.length >= 2, `${messages.length} messages`);
  const batches = messages.slice(0, -1);
  const last = messages.at(-1);
  const indexes = batches.flatMap((batch) => batch.entries.map((entry) => entry.leaf_index));
  check(indexes.every((index, i) => index === i) && batches.every((b) => b.entries.length === 1),
    `leaf indexes ${indexes.slice(0, 10)}... in batches of 1`);
  check(last.checkpoint && last.entries.length === 0, 'the last message is not the closing checkpoint');
  check(last.checkpoint.tree_size === last.next_index && last.next_index === indexes.length,
    `checkpoint of ${last.checkpoint.tree_size}, next_index ${last.next_index}, ${indexes.length} events`);
}

async function bidiStreaming(peer) {
  const { number } = await peer.issued();
  const call = peer.client('credentials.v1.VerificationService').VerifyStream(peer.auth('employer'), deadline());
  const status = new Promise((resolve) => call.on('status', resolve));
  call.on('error', () => {}); // read from 'status'
  const answers = call[Symbol.asyncIterator]();
  // One request in flight at a time: each answer arrives before the next request is written.
  for (const [id, request, expected] of [
    ['valid', { number, holder_name: '张伟' }, 'VERIFICATION_RESULT_VALID'],
    ['wrong-name', { number, holder_name: '李四' }, 'VERIFICATION_RESULT_NOT_FOUND'],
    ['mistyped', { number: mistyped(number), holder_name: '张伟' }, undefined],
  ]) {
    call.write({ correlation_id: id, certificate: request });
    const { value: answer, done } = await answers.next();
    check(!done, `the stream ended before the answer for ${id}`);
    check(answer.correlation_id === id, `answer for ${answer.correlation_id}, expected ${id}`);
    if (expected) {
      check(answer.result === 'certificate' && answer.certificate.result === expected,
        `${id}: ${answer.result} ${answer.certificate?.result}, expected ${expected}`);
    } else {
      check(answer.result === 'error' && answer.error.code === grpc.status.INVALID_ARGUMENT && answer.error.fields.includes('number'),
        `${id}: ${JSON.stringify(answer)}`);
    }
  }
  call.end();
  const rest = await answers.next();
  const final = await status;
  check(rest.done && final.code === grpc.status.OK, `after half-close: ${rest.done ? 'no' : 'a'} further answer, ${statusName(final.code)}`);
}

async function gzipRequest(peer) {
  const { number } = await peer.issued();
  // grpc-js compresses per channel: this one gzips every message it sends.
  const gzipChannel = { 'grpc.default_compression_algorithm': grpc.compressionAlgorithms.gzip };
  const verified = expectOk(await peer.verify(number, deadline(), '张伟', gzipChannel), 'grpc-js with gzip: ');
  check(verified.result === 'VERIFICATION_RESULT_VALID', `grpc-js with gzip: verified ${verified.result}`);
  // On the wire: a gzip-compressed message (flag 1, grpc-encoding gzip) the server must inflate.
  const requestType = peer.root.lookupType('credentials.v1.VerifyCertificateRequest');
  const payload = Buffer.from(requestType.encode({ number, holder_name: '张伟' }).finish());
  const path = '/credentials.v1.VerificationService/VerifyCertificate';
  const raw = await rawCall(peer.address, path, messageFrame(zlib.gzipSync(payload), true), { 'grpc-encoding': 'gzip' });
  check(raw.status === '0', `raw gzip call: grpc-status ${raw.status} (${raw.trailers['grpc-message'] ?? raw.headers['grpc-message']})`);
  check(raw.body.length >= 5 && raw.body[0] === 0, 'raw gzip call: the answer is not an uncompressed message (we accept identity only)');
  const answer = peer.root.lookupType('credentials.v1.VerifyCertificateResponse').decode(raw.body.subarray(5));
  check(answer.result === 1, `raw gzip call: result ${answer.result}, expected 1 (VERIFICATION_RESULT_VALID)`);
  // An encoding the server does not support is UNIMPLEMENTED, naming what it accepts (doc/compression.md).
  const unsupported = await rawCall(peer.address, path, messageFrame(payload, true), { 'grpc-encoding': 'x-peers-unknown' });
  const headers = { ...unsupported.headers, ...unsupported.trailers };
  check(unsupported.status === String(grpc.status.UNIMPLEMENTED),
    `unknown grpc-encoding: grpc-status ${unsupported.status}, expected ${grpc.status.UNIMPLEMENTED}`);
  check(/\bgzip\b/.test(headers['grpc-accept-encoding'] ?? ''),
    `unknown grpc-encoding: grpc-accept-encoding is ${headers['grpc-accept-encoding']}, expected one with gzip`);
}

async function unimplemented(peer) {
  const client = new grpc.Client(peer.address, grpc.credentials.createInsecure());
  try {
    for (const path of ['/credentials.v1.CertificateService/NoSuchMethod', '/credentials.v1.NoSuchService/Ping']) {
      const result = await new Promise((resolve) => {
        client.makeUnaryRequest(path, (b) => b, (b) => b, Buffer.alloc(0), new grpc.Metadata(), deadline(),
          (error, response) => resolve({ error, response }));
      });
      expectCode(result, grpc.status.UNIMPLEMENTED, `${path}: `);
    }
  } finally {
    client.close();
  }
}

const CASES = {
  reflection_list_v1: listServicesCase('v1'),
  reflection_list_v1alpha: listServicesCase('v1alpha'),
  reflection_file_descriptors: reflectionFileDescriptors,
  reflection_descriptors_call: reflectionDescriptorsCall,
  health_check: healthCheck,
  health_watch: healthWatch,
  metadata_issue_get_verify: metadataIssueGetVerify,
  deadline_exceeded: deadlineExceeded,
  deadline_generous: deadlineGenerous,
  error_invalid_argument: errorInvalidArgument,
  error_failed_precondition: errorFailedPrecondition,
  error_unauthenticated: errorUnauthenticated,
  error_permission_denied: errorPermissionDenied,
  server_streaming: serverStreaming,
  bidi_streaming: bidiStreaming,
  gzip_request: gzipRequest,
  unimplemented,
};

async function main(argv) {
  const selected = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--case' && CASES[argv[i + 1]]) {
      selected.push(argv[++i]);
    } else {
      console.error(`usage: peer_suite.js [--case NAME]...; cases: ${Object.keys(CASES).join(' ')}`);
      return 2;
    }
  }
  const missing = ['CREDENTIALS_ADDRESS', 'PEERS_COMMITTEE', 'PEERS_COMMITTEE_TOKEN', 'PEERS_PLATFORM_TOKEN', 'PEERS_EMPLOYER_TOKEN']
    .filter((name) => !process.env[name]);
  if (missing.length > 0) {
    console.error(`peer_suite.js: set ${missing.join(', ')} (clients/run-interop.sh does)`);
    return 2;
  }
  let peer;
  try {
    peer = new Peer(process.env);
  } catch (error) {
    if (error instanceof ProtosNotFound) {
      console.error(`peer_suite.js: ${error.message}`);
      return 2;
    }
    throw error;
  }
  let passed = 0;
  let failed = 0;
  for (const name of selected.length > 0 ? selected : Object.keys(CASES)) {
    try {
      await CASES[name](peer);
      console.log(`PASS ${name}`);
      passed++;
    } catch (error) {
      // A broken case is reported as that case's failure; the others still run.
      const reason = error instanceof CaseFailure ? error.message
        : error.code !== undefined ? `unexpected ${statusName(error.code)}: ${error.details}` : (error.stack ?? String(error));
      console.log(`FAIL ${name}: ${reason}`);
      failed++;
    }
  }
  peer.close();
  console.log(`node: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
