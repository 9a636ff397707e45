using System.Reflection;
using Credentials.V1;
using Google.Protobuf.Reflection;

namespace Credentials.Server.Tests;

/// <summary>The methods of the credentials.v1 services, from the descriptors the generated code carries.</summary>
internal static class Contract
{
    public static IReadOnlyList<MethodDescriptor> Methods { get; } =
    [
        .. typeof(PingRequest).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .Where(file => file.Package == "credentials.v1")
            .SelectMany(file => file.Services)
            .SelectMany(service => service.Methods),
    ];

    /// <summary>The method whose request message is <typeparamref name="TRequest"/> (each method has its own).</summary>
    public static MethodDescriptor MethodTaking<TRequest>() => Methods.Single(m => m.InputType.ClrType == typeof(TRequest));
}
