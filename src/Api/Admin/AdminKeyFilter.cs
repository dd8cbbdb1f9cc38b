using System.Security.Cryptography;
using System.Text;
using JustGold.Api.Http;
using Microsoft.Extensions.Options;

namespace JustGold.Api.Admin;

/// <summary>Admits a request only with the configured <c>X-Admin-Key</c>, compared in constant time.</summary>
internal sealed class AdminKeyFilter(IOptions<AdminOptions> options, TimeProvider time) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";

    // Hashing first makes the comparison independent of both lengths.
    private readonly byte[]? _expected = options.Value.EffectiveKey is { } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_expected is null)
        {
            return ValueTask.FromResult<object?>(ErrorResults.Create(StatusCodes.Status403Forbidden, "admin_disabled",
                "The operator API is disabled: no Admin:ApiKey is configured.", time));
        }

        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (presented.Length == 0 || !CryptographicOperations.FixedTimeEquals(digest, _expected))
        {
            return ValueTask.FromResult<object?>(ErrorResults.Create(StatusCodes.Status401Unauthorized, "unauthorized",
                $"Send the operator key in the {HeaderName} header.", time));
        }

        return next(context);
    }
}
