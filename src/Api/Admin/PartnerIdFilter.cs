using JustGold.Grains.Contracts;

namespace JustGold.Api.Admin;

/// <summary>Checks the shape of <c>{partnerId}</c> once, before any grain is touched: a bad id is <c>400 invalid_request</c>.</summary>
internal sealed class PartnerIdFilter(TimeProvider time) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        PartnerIds.IsValid(context.HttpContext.Request.RouteValues["partnerId"] as string)
            ? next(context)
            : ValueTask.FromResult<object?>(AdminErrors.InvalidPartnerId(time));
}
