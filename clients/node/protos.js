// Where the .proto files come from, for the Node clients (clients/python/protoset.py does the same
// for Python). The repository carries only its own protos (protos/credentials); the others are
// found where their maintainers ship them:
//   grpc/health, grpc/reflection  Debian's grpc-proto package, /usr/share/grpc-proto;
//   google/rpc, google/type       the Google.Api.CommonProtos NuGet package (content/protos), which
//                                 any `dotnet build` of the repository restores into the NuGet
//                                 global-packages folder;
//   google/protobuf               bundled with protobufjs.
// CREDENTIALS_PROTO_PATH (directories separated by ':') is searched before all of them.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const protobuf = require('protobufjs');

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const PROTOS_DIR = path.join(REPOSITORY_ROOT, 'protos');
const GRPC_PROTO_DIR = '/usr/share/grpc-proto';
const COMMON_PROTOS_PACKAGE = 'Google.Api.CommonProtos';
const PROTO_PATH_VARIABLE = 'CREDENTIALS_PROTO_PATH';

class ProtosNotFound extends Error {}

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

// The version Directory.Packages.props pins, or undefined.
function commonProtosVersion() {
  try {
    const props = fs.readFileSync(path.join(REPOSITORY_ROOT, 'Directory.Packages.props'), 'utf8');
    return props.match(new RegExp(`Include="${COMMON_PROTOS_PACKAGE.replaceAll('.', '\\.')}"\\s+Version="([^"]+)"`))?.[1];
  } catch {
    return undefined;
  }
}

// Candidate global-packages folders: $NUGET_PACKAGES, the default, then what dotnet says.
function* nugetGlobalPackages() {
  if (process.env.NUGET_PACKAGES) {
    yield process.env.NUGET_PACKAGES;
  }
  yield path.join(os.homedir(), '.nuget', 'packages');
  try {
    const out = execFileSync('dotnet', ['nuget', 'locals', 'global-packages', '--list'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30000 });
    const line = out.split('\n').find((l) => l.startsWith('global-packages:'));
    if (line) {
      yield line.slice('global-packages:'.length).trim();
    }
  } catch {
    // no dotnet: the folders above were all there is
  }
}

function versionKey(name) {
  return (name.match(/\d+/g) ?? []).map(Number);
}

function compareVersionsDescending(a, b) {
  const [x, y] = [versionKey(a), versionKey(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? -1) !== (y[i] ?? -1)) {
      return (y[i] ?? -1) - (x[i] ?? -1);
    }
  }
  return 0;
}

// content/protos of Google.Api.CommonProtos: the pinned version, else the newest restored one.
function commonProtosDir() {
  const version = commonProtosVersion();
  for (const packages of nugetGlobalPackages()) {
    const packageDir = path.join(packages, COMMON_PROTOS_PACKAGE.toLowerCase());
    let versions = [];
    try {
      versions = fs.readdirSync(packageDir).sort(compareVersionsDescending);
    } catch {
      continue;
    }
    for (const candidate of [version, ...versions].filter(Boolean)) {
      const protos = path.join(packageDir, candidate, 'content', 'protos');
      if (isFile(path.join(protos, 'google', 'rpc', 'status.proto'))) {
        return protos;
      }
    }
  }
  return undefined;
}

let includeDirsCache;

// The include directories, in search order.
function includeDirs() {
  if (!includeDirsCache) {
    const extra = (process.env[PROTO_PATH_VARIABLE] ?? '').split(path.delimiter).filter(Boolean);
    const grpcProto = fs.existsSync(GRPC_PROTO_DIR) ? GRPC_PROTO_DIR : undefined;
    includeDirsCache = [...extra, PROTOS_DIR, grpcProto, commonProtosDir()].filter(Boolean);
  }
  return includeDirsCache;
}

function missingHint(file) {
  if (file.startsWith('grpc/')) {
    return `install Debian's grpc-proto package (apt-get install -y grpc-proto; ${GRPC_PROTO_DIR})`;
  }
  if (/^google\/(rpc|type|api)\//.test(file)) {
    return `restore the ${COMMON_PROTOS_PACKAGE} ${commonProtosVersion() ?? ''} NuGet package ` +
      `(\`dotnet restore src/Credentials.Contracts\` in ${REPOSITORY_ROOT}), or set $NUGET_PACKAGES to the ` +
      'global-packages folder that holds it';
  }
  return `is it a file under ${PROTOS_DIR}?`;
}

// A protobufjs Root of the files (paths relative to an include directory, e.g.
// "credentials/v1/certificates.proto") and everything they import, field names as in the .proto.
function loadRoot(files) {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (path.isAbsolute(target)) {
      return target;
    }
    for (const dir of includeDirs()) {
      const full = path.join(dir, target);
      if (isFile(full)) {
        return full;
      }
    }
    throw new ProtosNotFound(`${target} is in none of ${includeDirs().join(', ')}: ${missingHint(target)}, ` +
      `or put a directory holding it in $${PROTO_PATH_VARIABLE}`);
  };
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

module.exports = { ProtosNotFound, includeDirs, loadRoot };
