"""Protobuf message classes built at run time, with nothing generated on disk.

Two sources of file descriptors, one way to turn them into classes:

* `compile_protos` runs protoc over .proto files and reads back the
  FileDescriptorSet it writes to a temp dir;
* a server's reflection answers (see grpc_call.py) carry serialized
  FileDescriptorProtos too.

`build_pool` puts either into a fresh DescriptorPool, and `message_class` gives
the class of a message in it. Runs on /usr/bin/python3 with Debian's
python3-protobuf; compiling needs `protoc` (Debian's protobuf-compiler, 3.21: the
protoc inside python3-grpc-tools is 3.5 and refuses proto3 `optional`, which
google/rpc/error_details.proto and our audit.proto use; $PROTOC overrides it).

The repository carries only its own protos (protos/credentials). The others are
found where their maintainers ship them (see `proto_path`):

* grpc/health, grpc/reflection: Debian's grpc-proto package, /usr/share/grpc-proto;
* google/rpc, google/type: the Google.Api.CommonProtos NuGet package (content/protos),
  which any `dotnet build` of the repository restores into the NuGet global-packages folder;
* google/protobuf: /usr/include (Debian's libprotobuf-dev), else the copy inside
  python3-grpc-tools.

CREDENTIALS_PROTO_PATH (directories separated by ':') is searched before all of them.
"""

import functools
import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

REPOSITORY_ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTOS_DIR = REPOSITORY_ROOT / "protos"
GRPC_PROTO_DIR = pathlib.Path("/usr/share/grpc-proto")
COMMON_PROTOS_PACKAGE = "Google.Api.CommonProtos"
PROTO_PATH_VARIABLE = "CREDENTIALS_PROTO_PATH"


class ProtosNotFound(LookupError):
    """A .proto file (or an import of it) is in none of the places searched; says what to install."""


def _common_protos_version():
    """The Google.Api.CommonProtos version of Directory.Packages.props, or None."""
    try:
        props = (REPOSITORY_ROOT / "Directory.Packages.props").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r'Include="' + re.escape(COMMON_PROTOS_PACKAGE) + r'"\s+Version="([^"]+)"', props)
    return match.group(1) if match else None


def _nuget_global_packages():
    """Candidate global-packages folders: $NUGET_PACKAGES, the default, then what dotnet says."""
    if os.environ.get("NUGET_PACKAGES"):
        yield pathlib.Path(os.environ["NUGET_PACKAGES"])
    yield pathlib.Path.home() / ".nuget" / "packages"
    if shutil.which("dotnet"):
        try:
            out = subprocess.run(["dotnet", "nuget", "locals", "global-packages", "--list"],
                                 capture_output=True, text=True, timeout=30, check=False).stdout
        except (OSError, subprocess.TimeoutExpired):
            return
        for line in out.splitlines():
            if line.startswith("global-packages:"):
                yield pathlib.Path(line.partition(":")[2].strip())


@functools.cache
def common_protos_dir():
    """content/protos of Google.Api.CommonProtos in the NuGet global-packages folder: the
    version Directory.Packages.props names, else the newest restored one; None if none is."""
    version = _common_protos_version()
    for packages in _nuget_global_packages():
        package = packages / COMMON_PROTOS_PACKAGE.lower()
        candidates = [package / version] if version else []
        candidates += sorted(package.glob("*"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)], reverse=True)
        for candidate in candidates:
            protos = candidate / "content" / "protos"
            if (protos / "google" / "rpc" / "status.proto").is_file():
                return protos
    return None


@functools.cache
def _well_known_dir():
    """A directory holding google/protobuf/*.proto, or None."""
    candidates = [pathlib.Path("/usr/include")]
    spec = importlib.util.find_spec("grpc_tools")
    if spec and spec.submodule_search_locations:
        candidates += [pathlib.Path(p) / "_proto" for p in spec.submodule_search_locations]
    return next((c for c in candidates if (c / "google" / "protobuf" / "timestamp.proto").is_file()), None)


@functools.cache
def proto_path():
    """The include directories, in search order."""
    extra = [pathlib.Path(p) for p in os.environ.get(PROTO_PATH_VARIABLE, "").split(os.pathsep) if p]
    found = [GRPC_PROTO_DIR if GRPC_PROTO_DIR.is_dir() else None, common_protos_dir(), _well_known_dir()]
    return extra + [PROTOS_DIR] + [p for p in found if p]


def _missing_hint(proto_files, stderr):
    """What to install for the files protoc could not find (stderr names them)."""
    names = set(re.findall(r"([\w/.-]+\.proto): File not found", stderr)) | {str(f) for f in proto_files}
    hints = []
    if any(n.startswith("grpc/") for n in names) and not GRPC_PROTO_DIR.is_dir():
        hints.append(f"grpc/* protos: install Debian's grpc-proto package (apt-get install -y grpc-proto; {GRPC_PROTO_DIR})")
    if any(n.startswith(("google/rpc/", "google/type/", "google/api/")) for n in names) and common_protos_dir() is None:
        version = _common_protos_version() or "(the version of Directory.Packages.props)"
        hints.append(f"google/rpc and google/type protos: restore the {COMMON_PROTOS_PACKAGE} {version} NuGet package "
                     f"(`dotnet restore src/Credentials.Contracts` in {REPOSITORY_ROOT}), or set $NUGET_PACKAGES to the "
                     "global-packages folder that holds it")
    if any(n.startswith("google/protobuf/") for n in names) and _well_known_dir() is None:
        hints.append("google/protobuf protos: apt-get install -y python3-grpc-tools (or libprotobuf-dev)")
    if hints:
        hints.append(f"or put a directory holding them in ${PROTO_PATH_VARIABLE}")
    return hints


def _protoc():
    compiler = os.environ.get("PROTOC") or shutil.which("protoc")
    if not compiler:
        raise ProtosNotFound("protoc not found: apt-get install -y protobuf-compiler (or set $PROTOC)")
    return compiler


def compile_protos(proto_files):
    """Returns the FileDescriptorProtos of proto_files (paths relative to an include
    directory, e.g. "credentials/v1/verification.proto") and of everything they import."""
    with tempfile.TemporaryDirectory(prefix="protoset-") as temp:
        out = os.path.join(temp, "set.pb")
        compiler = _protoc()
        arguments = [compiler] + [f"-I{p}" for p in proto_path()]
        arguments += ["--include_imports", f"--descriptor_set_out={out}"] + [str(name) for name in proto_files]
        try:
            result = subprocess.run(arguments, capture_output=True, text=True, check=False)
        except OSError as error:
            raise ProtosNotFound(f"cannot run {compiler}: {error.strerror} (apt-get install -y protobuf-compiler, "
                                 "or set $PROTOC)") from None
        if result.returncode != 0:
            stderr = result.stderr.strip()
            hints = _missing_hint(proto_files, stderr)
            if hints:
                # The lines naming missing files; the rest is what follows from them.
                not_found = [line for line in stderr.splitlines() if "File not found" in line or "No such file" in line]
                raise ProtosNotFound("protoc: " + " ".join(not_found or stderr.splitlines()[:1]) + "\n  " + "\n  ".join(hints))
            raise RuntimeError(f"protoc failed on {', '.join(map(str, proto_files))} (exit code {result.returncode}): {stderr}")
        with open(out, "rb") as stream:
            return list(descriptor_pb2.FileDescriptorSet.FromString(stream.read()).file)


def build_pool(file_protos):
    """A new DescriptorPool holding file_protos, added dependencies first."""
    by_name = {file.name: file for file in file_protos}
    pool = descriptor_pool.DescriptorPool()
    added = set()

    def add(name, chain):
        if name in added:
            return
        if name not in by_name:
            raise LookupError(f"{chain[-1]} imports {name}, which was not supplied")
        if name in chain:
            raise ValueError(f"import cycle: {' -> '.join(chain + [name])}")
        for dependency in by_name[name].dependency:
            add(dependency, chain + [name])
        pool.AddSerializedFile(by_name[name].SerializeToString())
        added.add(name)

    for name in by_name:
        add(name, [])
    return pool


def message_class(pool, full_name):
    """The message class of full_name (e.g. "credentials.v1.PingRequest") in pool."""
    descriptor = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)

