using System.Threading.Channels;
using Credentials.Grpc.Server;
using Grpc.Health.V1;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Credentials.Grpc.Health;

/// <summary>
/// grpc.health.v1.Health: the overall status ("") and one per served service, all SERVING at
/// start. When the host stops, everything turns NOT_SERVING and watches end.
/// </summary>
public sealed class HealthService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Channel<ServingStatus>>> _watchers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private bool _shuttingDown;

    public HealthService(IEnumerable<GrpcServiceRegistration> services, IHostApplicationLifetime? lifetime = null)
    {
        _statuses[""] = ServingStatus.Serving;
        foreach (var service in services)
        {
            _statuses[service.Descriptor.FullName] = ServingStatus.Serving;
        }
        lifetime?.ApplicationStopping.Register(EnterGracefulShutdown);
    }

    /// <summary>The current status of a service ("" for the server), or null when unknown.</summary>
    public ServingStatus? GetStatus(string service)
    {
        lock (_lock)
        {
            return _statuses.TryGetValue(service, out var status) ? status : null;
        }
    }

    /// <summary>Sets a status and tells every watcher. Ignored once shutdown has begun.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }
            SetLocked(service, status);
        }
    }

    /// <summary>Sets the overall status and that of every known service at once (for example when the store fails).</summary>
    public void SetAllStatuses(ServingStatus status)
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }
            foreach (var service in _statuses.Keys.ToList())
            {
                SetLocked(service, status);
            }
        }
    }

    /// <summary>Everything NOT_SERVING for good, and open watches end: the server is going away.</summary>
    public void EnterGracefulShutdown()
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }
            foreach (var service in _statuses.Keys.ToList())
            {
                SetLocked(service, ServingStatus.NotServing);
            }
            _shuttingDown = true;
        }
        _shutdown.Cancel();
    }

    private void SetLocked(string service, ServingStatus status)
    {
        _statuses[service] = status;
        if (_watchers.TryGetValue(service, out var watchers))
        {
            foreach (var watcher in watchers)
            {
                watcher.Writer.TryWrite(status);
            }
        }
    }

    public Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        var status = GetStatus(request.Service)
            ?? throw new RpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");
        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        // Only the latest status matters to a watcher: a slow one skips intermediate states.
        var channel = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            channel.Writer.TryWrite(_statuses.TryGetValue(request.Service, out var current) ? current : ServingStatus.ServiceUnknown);
            if (!_watchers.TryGetValue(request.Service, out var list))
            {
                _watchers[request.Service] = list = [];
            }
            list.Add(channel);
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _shutdown.Token);
        try
        {
            ServingStatus? last = null;
            while (true)
            {
                // After shutdown, drain the final NOT_SERVING before ending.
                if (!channel.Reader.TryRead(out var status))
                {
                    if (stop.IsCancellationRequested)
                    {
                        break;
                    }
                    try
                    {
                        status = await channel.Reader.ReadAsync(stop.Token);
                    }
                    catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
                    {
                        continue;
                    }
                }
                if (status != last)
                {
                    last = status;
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken);
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                // Drop the list with its last watcher: service names come from clients.
                var list = _watchers[request.Service];
                list.Remove(channel);
                if (list.Count == 0)
                {
                    _watchers.Remove(request.Service);
                }
            }
        }
    }
}
