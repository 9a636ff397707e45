"""Protobuf message classes built at run time, with nothing generated on disk.

Two sources of file descriptors, one way to turn them into classes:

* `compile_protos` runs grpc_tools.protoc over .proto files of this repository
  and reads back the FileDescriptorSet it writes to a temp dir;
* a server's reflection answers (see grpc_call.py) carry serialized
  FileDescriptorProtos too.

`build_pool` puts either into a fresh DescriptorPool, and `message_class` gives
the class of a message in it. Runs on /usr/bin/python3 with Debian's
python3-protobuf and python3-grpc-tools.
"""

import os
import pathlib
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

REPOSITORY_ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTOS_DIR = REPOSITORY_ROOT / "protos"


def compile_protos(proto_files, proto_root=PROTOS_DIR):
    """Returns the FileDescriptorProtos of proto_files (paths relative to
    proto_root) and of everything they import, google/protobuf/*.proto included."""
    from grpc_tools import protoc  # only this source needs grpc_tools

    well_known = pathlib.Path(protoc.__file__).parent / "_proto"
    with tempfile.TemporaryDirectory(prefix="protoset-") as temp:
        out = os.path.join(temp, "set.pb")
        exit_code = protoc.main(
            ["grpc_tools.protoc", f"-I{proto_root}", f"-I{well_known}", "--include_imports", f"--descriptor_set_out={out}"]
            + [str(name) for name in proto_files]
        )
        if exit_code != 0:
            raise RuntimeError(f"grpc_tools.protoc failed on {', '.join(map(str, proto_files))} (exit code {exit_code})")
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
