using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Credentials.Server.Errors;

/// <summary>
/// Turns the domain's and the store's exceptions into their gRPC statuses with google.rpc details
/// (<see cref="DomainErrors"/>), for every kind of call. An exception it does not know goes on to
/// Grpc.AspNetCore, which logs it and answers UNKNOWN without its text (detailed errors stay off):
/// exception messages may hold anything, personal data included.
/// </summary>
public sealed class ErrorMappingInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Task<TResponse> call;
        try
        {
            call = continuation(request, context);
        }
        catch (Exception e) when (DomainErrors.Map(e) is { } mapped)
        {
            throw mapped;
        }
        // A method that answered at once (Ping, most reads) needs no state machine to wait for it.
        return call.IsCompletedSuccessfully ? call : Mapped(call);
    }

    private static async Task<TResponse> Mapped<TResponse>(Task<TResponse> call)
    {
        try
        {
            return await call;
        }
        catch (Exception e) when (DomainErrors.Map(e) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (DomainErrors.Map(e) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (DomainErrors.Map(e) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (DomainErrors.Map(e) is { } mapped)
        {
            throw mapped;
        }
    }
}
