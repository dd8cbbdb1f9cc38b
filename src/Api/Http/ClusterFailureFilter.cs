namespace JustGold.Api.Http;

/// <summary>
/// Turns a failure to reach silos or storage into <c>503 service_unavailable</c>: the service
/// fails closed, and a client never sees a 500 for something it did not cause.
/// </summary>
internal sealed partial class ClusterFailureFilter(TimeProvider time, ILogger<ClusterFailureFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogFailed(logger, ex, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return ErrorResults.ServiceUnavailable(time);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "{Method} {Path} could not reach the cluster or its storage; answered 503")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
