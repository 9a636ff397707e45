using System.Reflection;
using Google.Protobuf.Reflection;

namespace Credentials.Grpc.Server;

/// <summary>
/// Binds the methods of a service, read from its descriptor, to the public instance methods of
/// the same name on an implementation object; no generated base class is needed. The four
/// shapes are, as in every C# gRPC server:
/// <code>
/// Task&lt;TResponse&gt; M(TRequest request, ServerCallContext context)
/// Task M(TRequest request, IServerStreamWriter&lt;TResponse&gt; responses, ServerCallContext context)
/// Task&lt;TResponse&gt; M(IAsyncStreamReader&lt;TRequest&gt; requests, ServerCallContext context)
/// Task M(IAsyncStreamReader&lt;TRequest&gt; requests, IServerStreamWriter&lt;TResponse&gt; responses, ServerCallContext context)
/// </code>
/// A method with no implementation answers UNIMPLEMENTED; one with the wrong signature fails at start-up.
/// </summary>
public static class ServiceBinder
{
    public static IReadOnlyList<ServerMethod> Bind(ServiceDescriptor service, object implementation)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(implementation);
        var type = implementation.GetType();
        var methods = new List<ServerMethod>();
        foreach (var method in service.Methods)
        {
            var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.Name == method.Name)
                .ToList();
            if (candidates.Count == 0)
            {
                methods.Add(new UnimplementedServerMethod(method));
                continue;
            }
            var request = method.InputType.ClrType;
            var response = method.OutputType.ClrType;
            var (shape, parameters, returns) = Shape(method, request, response);
            var match = candidates.SingleOrDefault(m =>
                m.ReturnType == returns && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters));
            if (match is null)
            {
                throw new InvalidOperationException(
                    $"{type.FullName}.{method.Name} implements {method.FullName} and must be declared as " +
                    $"{returns.Name} {method.Name}({string.Join(", ", parameters.Select(p => p.Name))}).");
            }
            var closed = shape.MakeGenericType(request, response);
            methods.Add((ServerMethod)Activator.CreateInstance(closed, method, match, implementation)!);
        }
        return methods;
    }

    private static (Type Shape, Type[] Parameters, Type Returns) Shape(MethodDescriptor method, Type request, Type response)
    {
        var context = typeof(ServerCallContext);
        var reader = typeof(IAsyncStreamReader<>).MakeGenericType(request);
        var writer = typeof(IServerStreamWriter<>).MakeGenericType(response);
        var taskOfResponse = typeof(Task<>).MakeGenericType(response);
        return (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => (typeof(UnaryServerMethod<,>), [request, context], taskOfResponse),
            (false, true) => (typeof(ServerStreamingServerMethod<,>), [request, writer, context], typeof(Task)),
            (true, false) => (typeof(ClientStreamingServerMethod<,>), [reader, context], taskOfResponse),
            (true, true) => (typeof(DuplexStreamingServerMethod<,>), [reader, writer, context], typeof(Task)),
        };
    }
}
