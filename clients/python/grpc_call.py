#!/usr/bin/python3
"""A small grpcurl over server reflection, on Debian's grpcio.

    grpc_call.py list [ADDRESS] [SERVICE]
    grpc_call.py describe [ADDRESS] SYMBOL
    grpc_call.py call [ADDRESS] METHOD [JSON]
    grpc_call.py encode [ADDRESS] METHOD [JSON] > body.bin

ADDRESS is host:port (default $CREDENTIALS_ADDRESS, else 127.0.0.1:50051).
METHOD is /pkg.Service/Method, pkg.Service/Method or pkg.Service.Method.
JSON is the request in proto3 JSON (default {}); @FILE reads it from a file,
@- from standard input; a client-streaming method takes a JSON array of
requests. Each response is printed as one line of JSON, so a server stream
prints one line per message. `encode` prints no call: it writes the request
as a gRPC message frame (5-byte prefix + protobuf), the body file of
bench/transport.sh --body.

Options may stand anywhere: -H 'name: value' (repeatable) adds request
metadata; --token TOKEN (default $CREDENTIALS_TOKEN) sends
'authorization: Bearer TOKEN' unless -H already sets authorization;
--tls / --cacert FILE / --servername NAME for TLS (cleartext by default);
--timeout SECONDS per call; -v prints response headers and trailers.

Everything comes from the server's reflection service (grpc.reflection.v1,
falling back to v1alpha): the files of the service with their transitive
dependencies go into a descriptor pool, and requests and responses are built
from it. A failed call prints the status (and its google.rpc.Status details)
to stderr and exits with 64 + the status code, as grpcurl does.
"""

import argparse
import json
import os
import re
import sys

import grpc
from google.protobuf import descriptor_pb2, json_format

import protoset

DEFAULT_ADDRESS = "127.0.0.1:50051"
REFLECTION_METHODS = (
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
)
ADDRESS_PATTERN = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}")
STATUS_DETAILS_KEY = "grpc-status-details-bin"
EXIT_USAGE = 2
EXIT_STATUS_BASE = 64


class UsageError(Exception):
    pass


class Reflection:
    """Asks the server's reflection service and collects the files it answers."""

    def __init__(self, channel, metadata, timeout):
        pool = protoset.build_pool(protoset.compile_protos(["grpc/reflection/v1/reflection.proto"]))
        self._request_class = protoset.message_class(pool, "grpc.reflection.v1.ServerReflectionRequest")
        response_class = protoset.message_class(pool, "grpc.reflection.v1.ServerReflectionResponse")
        # v1 and v1alpha messages are the same on the wire; only the method path differs.
        self._methods = [
            channel.stream_stream(path, request_serializer=self._request_class.SerializeToString,
                                  response_deserializer=response_class.FromString)
            for path in REFLECTION_METHODS
        ]
        self._metadata = metadata
        self._timeout = timeout
        self._files = {}

    def _ask(self, **fields):
        request = self._request_class(**fields)
        for index, method in enumerate(self._methods):
            try:
                # Read the stream to its end: dropping it early would cancel the call.
                responses = list(method(iter([request]), metadata=self._metadata, timeout=self._timeout))
            except grpc.RpcError as error:
                if error.code() == grpc.StatusCode.UNIMPLEMENTED and index + 1 < len(self._methods):
                    continue
                raise
            if len(responses) != 1:
                raise LookupError(f"server reflection answered {len(responses)} messages to one request")
            (response,) = responses
            if response.HasField("error_response"):
                raise LookupError(response.error_response.error_message)
            return response
        raise AssertionError("unreachable")

    def list_services(self):
        return [service.name for service in self._ask(list_services="").list_services_response.service]

    def pool_for_symbol(self, symbol):
        """A descriptor pool with the file defining symbol and all it imports."""
        self._add_files(self._ask(file_containing_symbol=symbol))
        missing = self._missing_dependencies()
        while missing:
            for name in missing:
                self._add_files(self._ask(file_by_filename=name))
            missing = self._missing_dependencies()
        return protoset.build_pool(self._files.values())

    def _add_files(self, response):
        for serialized in response.file_descriptor_response.file_descriptor_proto:
            file = descriptor_pb2.FileDescriptorProto.FromString(serialized)
            self._files.setdefault(file.name, file)

    def _missing_dependencies(self):
        return sorted({d for f in self._files.values() for d in f.dependency if d not in self._files})


USAGES = {
    "list": "list [ADDRESS] [SERVICE]",
    "describe": "describe [ADDRESS] SYMBOL",
    "call": "call [ADDRESS] METHOD [JSON]",
    "encode": "encode [ADDRESS] METHOD [JSON]",
}
ARGUMENT_COUNTS = {"list": (0, 1), "describe": (1, 1), "call": (1, 2), "encode": (1, 2)}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="grpc_call.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s [options] {" + " | ".join(USAGES.values()) + "}")
    parser.add_argument("command", choices=USAGES)
    parser.add_argument("args", nargs="*", help="ADDRESS, then SERVICE, SYMBOL or METHOD [JSON]")
    parser.add_argument("-H", dest="headers", action="append", default=[], metavar="'NAME: VALUE'",
                        help="request metadata, repeatable")
    parser.add_argument("--token", default=os.environ.get("CREDENTIALS_TOKEN"),
                        help="bearer token (default $CREDENTIALS_TOKEN)")
    parser.add_argument("--tls", action="store_true", help="use TLS (default: cleartext HTTP/2)")
    parser.add_argument("--cacert", help="PEM file of the CA to trust (implies --tls)")
    parser.add_argument("--servername", help="name the server certificate must carry (implies --tls)")
    parser.add_argument("--timeout", type=float, default=10.0, help="deadline of each call in seconds (default 10)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print response headers and trailers to stderr")
    options = parser.parse_intermixed_args(argv)

    options.address = os.environ.get("CREDENTIALS_ADDRESS", DEFAULT_ADDRESS)
    if options.args and ADDRESS_PATTERN.fullmatch(options.args[0]):
        options.address = options.args.pop(0)
    least, most = ARGUMENT_COUNTS[options.command]
    if not least <= len(options.args) <= most:
        parser.error(f"expected {USAGES[options.command]}")
    return options


def request_metadata(options):
    metadata = []
    for header in options.headers:
        name, separator, value = header.partition(":")
        if not separator or not name.strip():
            raise UsageError(f"-H {header!r}: expected 'name: value'")
        metadata.append((name.strip().lower(), value.strip()))
    if options.token and not any(name == "authorization" for name, _ in metadata):
        metadata.append(("authorization", f"Bearer {options.token}"))
    return metadata


def open_channel(options):
    if not (options.tls or options.cacert or options.servername):
        return grpc.insecure_channel(options.address)
    root = None
    if options.cacert:
        with open(options.cacert, "rb") as stream:
            root = stream.read()
    channel_options = [("grpc.ssl_target_name_override", options.servername)] if options.servername else []
    return grpc.secure_channel(options.address, grpc.ssl_channel_credentials(root), options=channel_options)


def split_method(text):
    """'/pkg.Service/Method', 'pkg.Service/Method' or 'pkg.Service.Method' -> ('pkg.Service', 'Method')."""
    path = text.lstrip("/")
    service, separator, method = path.rpartition("/") if "/" in path else path.rpartition(".")
    if not separator or not service or not method:
        raise UsageError(f"method {text!r}: expected /package.Service/Method")
    return service, method


def list_command(reflection, args):
    if not args:
        return "\n".join(reflection.list_services())
    service = reflection.pool_for_symbol(args[0]).FindServiceByName(args[0])
    return "\n".join(method.full_name for method in service.methods)


def describe_command(reflection, args):
    symbol = args[0].lstrip(".")
    pool = reflection.pool_for_symbol(symbol)
    text = ProtoText()
    for kind, find, proto_class in (
        ("service", pool.FindServiceByName, descriptor_pb2.ServiceDescriptorProto),
        ("message", pool.FindMessageTypeByName, descriptor_pb2.DescriptorProto),
        ("enum", pool.FindEnumTypeByName, descriptor_pb2.EnumDescriptorProto),
    ):
        proto = copy_to_proto(find, symbol, proto_class)
        if proto is not None:
            article = "an" if kind == "enum" else "a"
            return f"{symbol} is {article} {kind}:\n" + "\n".join(getattr(text, kind)(proto))
    parent, _, name = symbol.rpartition(".")
    service = copy_to_proto(pool.FindServiceByName, parent, descriptor_pb2.ServiceDescriptorProto)
    method = next((m for m in service.method if m.name == name), None) if service else None
    if method is not None:
        return f"{symbol} is a method:\n" + text.method(method)
    message = copy_to_proto(pool.FindMessageTypeByName, parent, descriptor_pb2.DescriptorProto)
    field = next((f for f in message.field if f.name == name), None) if message else None
    if field is not None:
        return f"{symbol} is a field:\n" + text.field(field, message)
    raise LookupError(f"Symbol not found: {symbol}")


def copy_to_proto(find, name, proto_class):
    """The descriptor proto of name, or None when find does not know it."""
    try:
        descriptor = find(name)
    except KeyError:
        return None
    proto = proto_class()
    descriptor.CopyToProto(proto)
    return proto


class ProtoText:
    """Renders descriptor protos back as .proto source (without comments)."""

    SCALARS = {
        value: name[len("TYPE_"):].lower()
        for name, value in descriptor_pb2.FieldDescriptorProto.Type.items()
    }

    def service(self, proto, indent=""):
        return [f"{indent}service {proto.name} {{"] + [f"{indent}  {self.method(m)}" for m in proto.method] + [f"{indent}}}"]

    @staticmethod
    def method(proto):
        client = "stream " if proto.client_streaming else ""
        server = "stream " if proto.server_streaming else ""
        return f"rpc {proto.name} ( {client}{proto.input_type} ) returns ( {server}{proto.output_type} );"

    def enum(self, proto, indent=""):
        return [f"{indent}enum {proto.name} {{"] + [f"{indent}  {v.name} = {v.number};" for v in proto.value] + [f"{indent}}}"]

    def message(self, proto, indent=""):
        lines = [f"{indent}message {proto.name} {{"]
        for nested in proto.nested_type:
            if not nested.options.map_entry:
                lines += self.message(nested, indent + "  ")
        for nested in proto.enum_type:
            lines += self.enum(nested, indent + "  ")
        open_oneof = None
        for field in proto.field:
            oneof = field.oneof_index if field.HasField("oneof_index") and not field.proto3_optional else None
            if oneof != open_oneof:
                if open_oneof is not None:
                    lines.append(f"{indent}  }}")
                if oneof is not None:
                    lines.append(f"{indent}  oneof {proto.oneof_decl[oneof].name} {{")
                open_oneof = oneof
            lines.append(f"{indent}  {'  ' if oneof is not None else ''}{self.field(field, proto)}")
        if open_oneof is not None:
            lines.append(f"{indent}  }}")
        return lines + [f"{indent}}}"]

    def field(self, field, parent):
        entry = next((n for n in parent.nested_type if n.options.map_entry and field.type_name.endswith("." + n.name)), None)
        if entry is not None:
            key, value = entry.field
            return f"map<{self._type(key)}, {self._type(value)}> {field.name} = {field.number};"
        label = ""
        if field.label == descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED:
            label = "repeated "
        elif field.proto3_optional:
            label = "optional "
        return f"{label}{self._type(field)} {field.name} = {field.number};"

    def _type(self, field):
        return field.type_name or self.SCALARS[field.type]


def read_json(text):
    if text.startswith("@"):
        name = text[1:]
        if name == "-":
            return sys.stdin.read()
        with open(name, encoding="utf-8") as stream:
            return stream.read()
    return text


def resolve_method(reflection, text):
    """(pool, method descriptor, full path) of a method named on the command line."""
    service_name, method_name = split_method(text)
    pool = reflection.pool_for_symbol(service_name)
    service = pool.FindServiceByName(service_name)
    if method_name not in service.methods_by_name:
        raise LookupError(f"Service {service_name} has no method {method_name}")
    return pool, service.methods_by_name[method_name], f"/{service_name}/{method_name}"


def parse_requests(pool, method, args):
    """The request messages of the JSON argument: one, or a list for client streaming."""
    request_class = protoset.message_class(pool, method.input_type.full_name)
    try:
        body = json.loads(read_json(args[1]) if len(args) > 1 else "{}")
    except json.JSONDecodeError as error:
        raise UsageError(f"request JSON: {error}") from None
    bodies = body if method.client_streaming and isinstance(body, list) else [body]
    requests = []
    for item in bodies:
        try:
            requests.append(json_format.ParseDict(item, request_class(), descriptor_pool=pool))
        except (json_format.ParseError, TypeError, AttributeError) as error:
            raise UsageError(f"request JSON for {method.input_type.full_name}: {error}") from None
    return requests


def call_command(channel, reflection, options):
    pool, method, path = resolve_method(reflection, options.args[0])
    requests = parse_requests(pool, method, options.args)
    request_class = protoset.message_class(pool, method.input_type.full_name)
    response_class = protoset.message_class(pool, method.output_type.full_name)
    client_streaming, server_streaming = method.client_streaming, method.server_streaming
    factory = {(False, False): channel.unary_unary, (False, True): channel.unary_stream,
               (True, False): channel.stream_unary, (True, True): channel.stream_stream}
    callable_ = factory[(client_streaming, server_streaming)](
        path, request_serializer=request_class.SerializeToString, response_deserializer=response_class.FromString)
    request = iter(requests) if client_streaming else requests[0]
    metadata = request_metadata(options)
    if server_streaming:
        call = callable_(request, metadata=metadata, timeout=options.timeout)
        for response in call:
            print_message(response, pool)
    else:
        response, call = callable_.with_call(request, metadata=metadata, timeout=options.timeout)
        print_message(response, pool)
    if options.verbose:
        print_metadata("Response headers", call.initial_metadata())
        print_metadata("Response trailers", call.trailing_metadata())


def encode_command(reflection, options):
    """Writes the request as the body of a gRPC HTTP/2 request: each message with
    its 5-byte prefix (uncompressed flag, big-endian length), e.g. for h2load -d."""
    pool, method, _ = resolve_method(reflection, options.args[0])
    for request in parse_requests(pool, method, options.args):
        payload = request.SerializeToString()
        sys.stdout.buffer.write(b"\x00" + len(payload).to_bytes(4, "big") + payload)
    sys.stdout.buffer.flush()


def print_message(message, pool):
    print(json.dumps(json_format.MessageToDict(message, descriptor_pool=pool), ensure_ascii=False), flush=True)


def print_metadata(title, metadata):
    print(f"{title}:", file=sys.stderr)
    for key, value in metadata or ():
        print(f"  {key}: {value!r}" if isinstance(value, bytes) else f"  {key}: {value}", file=sys.stderr)


def report_rpc_error(error, verbose):
    print("ERROR:", file=sys.stderr)
    print(f"  Code: {error.code().name}", file=sys.stderr)
    print(f"  Message: {error.details()}", file=sys.stderr)
    trailers = error.trailing_metadata() or ()
    for key, value in trailers:
        if key == STATUS_DETAILS_KEY:
            try:
                pool = protoset.build_pool(protoset.compile_protos(["google/rpc/status.proto", "google/rpc/error_details.proto"]))
            except protoset.ProtosNotFound as missing:
                print(f"  Details: not decoded, {missing}", file=sys.stderr)
                continue
            status = protoset.message_class(pool, "google.rpc.Status").FromString(value)
            for detail in json_format.MessageToDict(status, descriptor_pool=pool).get("details", []):
                print(f"  Details: {json.dumps(detail, ensure_ascii=False)}", file=sys.stderr)
    if verbose:
        print_metadata("Response trailers", trailers)
    return EXIT_STATUS_BASE + error.code().value[0]


def main(argv):
    options = parse_arguments(argv)
    try:
        with open_channel(options) as channel:
            reflection = Reflection(channel, request_metadata(options), options.timeout)
            if options.command == "list":
                print(list_command(reflection, options.args))
            elif options.command == "describe":
                print(describe_command(reflection, options.args))
            elif options.command == "call":
                call_command(channel, reflection, options)
            else:
                encode_command(reflection, options)
        return 0
    except UsageError as error:
        print(f"grpc_call.py: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LookupError as error:
        print(f"grpc_call.py: {error}", file=sys.stderr)
        return 1
    except grpc.RpcError as error:
        return report_rpc_error(error, options.verbose)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
