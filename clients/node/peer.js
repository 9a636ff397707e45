// The client side of the peer suite (peer_suite.js): grpc-js clients of the real server built from
// the protos (protos.js), promise wrappers for calls, a bare node:http2 call for what grpc-js
// hides, and the checks the cases share.
'use strict';

const crypto = require('node:crypto');
const http2 = require('node:http2');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { loadRoot } = require('./protos');

const CALL_TIMEOUT_MS = 10000;
const DETAILS_KEY = 'grpc-status-details-bin';
const CREDENTIALS_SERVICES = ['AuditService', 'CertificateService', 'CommitteeService', 'DiagnosticsService',
  'IntegrityService', 'LedgerService', 'VerificationService'].map((name) => `credentials.v1.${name}`);
const PROTOS = ['audit', 'certificates', 'committees', 'diagnostics', 'integrity', 'ledger', 'verification']
  .map((name) => `credentials/v1/${name}.proto`)
  .concat(['google/rpc/status.proto', 'google/rpc/error_details.proto', 'grpc/health/v1/health.proto',
    'grpc/reflection/v1/reflection.proto', 'grpc/reflection/v1alpha/reflection.proto']);
// Field names as in the .proto, enums by name, int64 as numbers, oneofs say which field is set.
const LOADER_OPTIONS = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

class CaseFailure extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CaseFailure(message);
  }
}

function statusName(code) {
  return Object.keys(grpc.status).find((name) => grpc.status[name] === code) ?? String(code);
}

function deadline(ms = CALL_TIMEOUT_MS) {
  return { deadline: new Date(Date.now() + ms) };
}

// A random, well-formed resident ID number (GB 11643 check character) born 1960-1999.
function residentId() {
  const born = new Date(Date.UTC(1960, 0, 1) + crypto.randomInt(40 * 365) * 86400000);
  const body = `210202${born.toISOString().slice(0, 10).replaceAll('-', '')}${String(crypto.randomInt(1000)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, c, i) => total + Number(c) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

// The same number with another check character: a typo the check character catches.
function mistyped(number) {
  return number.slice(0, -1) + (number.endsWith('0') ? '1' : '0');
}

// A unary call as a promise of { error, response, metadata (initial), status }.
function unary(client, method, request, metadata = new grpc.Metadata(), options = deadline()) {
  return new Promise((resolve) => {
    let outcome;
    let status;
    let initial;
    const settle = () => outcome && status && resolve({ ...outcome, status, metadata: initial });
    const call = client[method](request, metadata, options, (error, response) => {
      outcome = { error, response };
      settle();
    });
    call.on('metadata', (received) => {
      initial = received;
    });
    call.on('status', (received) => {
      status = received;
      settle();
    });
  });
}

function expectCode(result, code, what = '') {
  check(result.error, `${what}the call succeeded, expected ${statusName(code)}`);
  check(result.error.code === code,
    `${what}got ${statusName(result.error.code)} (${JSON.stringify(result.error.details)}), expected ${statusName(code)}`);
  return result.error;
}

function expectOk(result, what = '') {
  check(!result.error, `${what}failed: ${result.error && `${statusName(result.error.code)} ${result.error.details}`}`);
  return result.response;
}

// Every message of a server stream; throws the call's error.
async function readAll(call) {
  const messages = [];
  for await (const message of call) {
    messages.push(message);
  }
  return messages;
}

class Peer {
  constructor(env) {
    this.address = env.CREDENTIALS_ADDRESS;
    this.committee = env.PEERS_COMMITTEE;
    this.tokens = Object.fromEntries(['committee', 'platform', 'employer']
      .map((role) => [role, env[`PEERS_${role.toUpperCase()}_TOKEN`]]));
    this.runId = crypto.randomBytes(5).toString('hex');
    this.root = loadRoot(PROTOS);
    this.package = grpc.loadPackageDefinition(protoLoader.fromJSON(this.root.toJSON(), LOADER_OPTIONS));
    this.clients = new Map();
    this.certificate = undefined; // issued by the metadata case, read by later ones
  }

  // A client of the service (e.g. "credentials.v1.CertificateService"), one channel per service and options.
  client(service, channelOptions = {}, pkg = this.package) {
    const key = `${service} ${JSON.stringify(channelOptions)}`;
    if (pkg !== this.package || !this.clients.has(key)) {
      const Client = service.split('.').reduce((node, part) => node[part], pkg);
      const client = new Client(this.address, grpc.credentials.createInsecure(), channelOptions);
      if (pkg !== this.package) {
        return client;
      }
      this.clients.set(key, client);
    }
    return this.clients.get(key);
  }

  auth(role, extra = {}) {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${this.tokens[role]}`);
    for (const [key, value] of Object.entries(extra)) {
      metadata.set(key, value);
    }
    return metadata;
  }

  // The google.rpc.Status of grpc-status-details-bin, with its details unpacked by type name.
  statusDetails(error) {
    const [raw] = error.metadata?.get(DETAILS_KEY) ?? [];
    check(raw, `${statusName(error.code)} has no ${DETAILS_KEY} trailer`);
    const status = this.root.lookupType('google.rpc.Status').decode(raw);
    const details = {};
    for (const detail of status.details) {
      const name = detail.type_url.slice(detail.type_url.lastIndexOf('/') + 1);
      details[name] = this.root.lookupType(name).decode(detail.value);
    }
    return { status, details };
  }

  spec(documentNumber) {
    return {
      holder: { name: '张伟', document_type: 'DOCUMENT_TYPE_RESIDENT_ID_CARD', document_number: documentNumber },
      series: '工程系列', specialty: '建筑工程', level: 'TITLE_LEVEL_DEPUTY_SENIOR', title_name: '高级工程师',
      review_meeting_date: { year: 2024, month: 10, day: 25 }, review_year: 2024,
      qualification_date: { year: 2024, month: 12, day: 1 }, approval_document: '大人社发〔2024〕15号',
    };
  }

  issue(name, extraMetadata = {}, documentNumber = residentId()) {
    return unary(this.client('credentials.v1.CertificateService'), 'IssueCertificate',
      { request_id: `peers-node-${this.runId}-${name}`, committee_code: this.committee, spec: this.spec(documentNumber) },
      this.auth('committee', extraMetadata));
  }

  async issued() {
    if (!this.certificate) {
      this.certificate = expectOk(await this.issue('shared'), 'IssueCertificate ').certificate;
    }
    return this.certificate;
  }

  verify(number, options = deadline(), holderName = '张伟', channelOptions = {}) {
    return unary(this.client('credentials.v1.VerificationService', channelOptions), 'VerifyCertificate',
      { number, holder_name: holderName }, new grpc.Metadata(), options);
  }

  close() {
    for (const client of this.clients.values()) {
      client.close();
    }
  }
}

// One call on a bare HTTP/2 stream, so that what is on the wire is known: the request headers and
// message frame as given (no frame and no end of stream when frame is undefined: the call stays
// open from the client's side). Resolves when the server ends the stream, to its headers,
// trailers, body and the RST_STREAM code (0 when it ended normally).
function rawCall(address, path, frame, headers) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${address}`);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers',
      'grpc-accept-encoding': 'identity', 'grpc-timeout': '10S', ...headers,
    });
    const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), CALL_TIMEOUT_MS);
    const chunks = [];
    const received = { headers: {}, trailers: {} };
    stream.on('response', (h) => {
      received.headers = h;
    });
    stream.on('trailers', (t) => {
      received.trailers = t;
    });
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', () => {}); // a reset is reported through rstCode
    stream.on('close', () => {
      clearTimeout(timer);
      session.close();
      resolve({ ...received, status: received.trailers['grpc-status'] ?? received.headers['grpc-status'],
        body: Buffer.concat(chunks), rstCode: stream.rstCode });
    });
    if (frame !== undefined) {
      stream.end(frame);
    }
  });
}

function messageFrame(payload, compressed) {
  const prefix = Buffer.alloc(5);
  prefix[0] = compressed ? 1 : 0;
  prefix.writeUInt32BE(payload.length, 1);
  return Buffer.concat([prefix, payload]);
}

module.exports = {
  CREDENTIALS_SERVICES, LOADER_OPTIONS, CaseFailure, Peer, check, deadline, expectCode, expectOk,
  messageFrame, mistyped, rawCall, readAll, residentId, statusName, unary,
};
