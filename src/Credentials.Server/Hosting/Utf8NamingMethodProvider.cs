using System.Reflection;
using Credentials.Core.Validation;
using Credentials.Server.Errors;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Credentials.Server.Hosting;

/// <summary>
/// Binds the methods of every gRPC service as Grpc.AspNetCore's own binder does (the generated
/// <c>BindService</c>, the service's overrides, their attributes as endpoint metadata), with one
/// difference: a request that Google.Protobuf refuses to parse because a string field is not UTF-8 is
/// INVALID_ARGUMENT with a BadRequest naming the field (<see cref="Utf8Fields"/>), not UNKNOWN.
/// </summary>
/// <remarks>
/// Written here because nothing else can: requests are parsed by the generated marshallers before
/// any interceptor runs, Grpc.AspNetCore answers a deserializer's exception with UNKNOWN unless it is
/// an <see cref="RpcException"/>, and the generated marshallers are fixed. So the methods are bound
/// again with the same marshallers wrapped, and Grpc.AspNetCore's binder is taken out
/// (<see cref="GrpcHosting"/>), as a code-first provider would be put in.
/// </remarks>
public sealed class Utf8NamingMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type])!
                    .Invoke(null, [new Binder(context), null]);
                return;
            }
        }
    }

    /// <summary>The request marshaller of a protobuf message, whose deserializer names the string fields that are not UTF-8.</summary>
    private static Marshaller<T> Naming<T>(Marshaller<T> marshaller)
        where T : class
    {
        if (!typeof(IMessage).IsAssignableFrom(typeof(T)))
        {
            return marshaller;
        }
        var descriptor = ((IMessage)Activator.CreateInstance(typeof(T))!).Descriptor;
        return new Marshaller<T>(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return marshaller.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException) when (Utf8Fields.Refusal(descriptor, context.PayloadAsNewBuffer()) is { } refusal)
            {
                throw DomainErrors.Map(refusal)!;
            }
        });
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Naming(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Naming(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Naming(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Naming(method), metadata, invoker);
        }

        private static Method<TRequest, TResponse> Naming<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class =>
            new(method.Type, method.ServiceName, method.Name, Utf8NamingMethodProvider<TService>.Naming(method.RequestMarshaller), method.ResponseMarshaller);

        /// <summary>The service's implementation of the method (its override, or the generated base's UNIMPLEMENTED) and the endpoint metadata.</summary>
        private static (TDelegate Invoker, List<object> Metadata) Bind<TDelegate>(string name, params Type[] parameters)
            where TDelegate : Delegate
        {
            var implementation = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            List<object> metadata = [.. typeof(TService).GetCustomAttributes(inherit: true), .. implementation.GetCustomAttributes(inherit: true),
                new HttpMethodMetadata(["POST"], acceptCorsPreflight: true)];
            return (implementation.CreateDelegate<TDelegate>(), metadata);
        }
    }
}
