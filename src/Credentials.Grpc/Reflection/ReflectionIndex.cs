using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;

namespace Credentials.Grpc.Reflection;

/// <summary>
/// What server reflection answers from: the served services, their files with every transitive
/// dependency (google/protobuf/*.proto included), and the symbols each file defines.
/// </summary>
internal sealed class ReflectionIndex
{
    private readonly List<string> _services;
    private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);
    private readonly HashSet<string> _messages = new(StringComparer.Ordinal);

    public ReflectionIndex(IEnumerable<ServiceDescriptor> services)
    {
        _services = [];
        foreach (var service in services)
        {
            _services.Add(service.FullName);
            AddFile(service.File);
        }
    }

    private void AddFile(FileDescriptor file)
    {
        if (!_files.TryAdd(file.Name, file))
        {
            return;
        }
        foreach (var service in file.Services)
        {
            _symbols[service.FullName] = file;
            foreach (var method in service.Methods)
            {
                _symbols[method.FullName] = file;
            }
        }
        foreach (var message in file.MessageTypes)
        {
            AddMessage(message, file);
        }
        foreach (var enumType in file.EnumTypes)
        {
            _symbols[enumType.FullName] = file;
        }
        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }
    }

    private void AddMessage(MessageDescriptor message, FileDescriptor file)
    {
        _symbols[message.FullName] = file;
        _messages.Add(message.FullName);
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            _symbols[field.FullName] = file;
        }
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested, file);
        }
        foreach (var enumType in message.EnumTypes)
        {
            _symbols[enumType.FullName] = file;
        }
    }

    public ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(_services.Select(name => new ServiceResponse { Name = name }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                response = WithFile(response, _files.GetValueOrDefault(request.FileByFilename), $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                response = WithFile(response, _symbols.GetValueOrDefault(request.FileContainingSymbol.TrimStart('.')),
                    $"Symbol not found: {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                // proto3 services: there are no extensions to find.
                response.ErrorResponse = NotFound($"Extension not found: {request.FileContainingExtension.ContainingType}({request.FileContainingExtension.ExtensionNumber})");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                var typeName = request.AllExtensionNumbersOfType.TrimStart('.');
                if (_messages.Contains(typeName))
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = typeName };
                }
                else
                {
                    response.ErrorResponse = NotFound($"Type not found: {request.AllExtensionNumbersOfType}");
                }
                break;
            default:
                response.ErrorResponse = new ErrorResponse { ErrorCode = (int)StatusCode.InvalidArgument, ErrorMessage = "The request names nothing to look up." };
                break;
        }
        return response;
    }

    private static ServerReflectionResponse WithFile(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            response.ErrorResponse = NotFound(notFound);
            return response;
        }
        var files = new FileDescriptorResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        AddWithDependencies(file, files.FileDescriptorProto, seen);
        response.FileDescriptorResponse = files;
        return response;
    }

    /// <summary>The file first, then its dependencies depth-first, each once.</summary>
    private static void AddWithDependencies(FileDescriptor file, ICollection<ByteString> output, HashSet<string> seen)
    {
        if (!seen.Add(file.Name))
        {
            return;
        }
        output.Add(file.SerializedData);
        foreach (var dependency in file.Dependencies)
        {
            AddWithDependencies(dependency, output, seen);
        }
    }

    private static ErrorResponse NotFound(string message) =>
        new() { ErrorCode = (int)StatusCode.NotFound, ErrorMessage = message };
}
