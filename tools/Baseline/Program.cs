// Baseline for the load test: stock ASP.NET Core JwtBearer verifying partner tokens statelessly.
// Usage: dotnet run -c Release --project tools/Baseline -- --keys DIR [--urls http://127.0.0.1:5080]
// Every DIR/<partnerId>.pem (SPKI or PKCS#1 public key, RSA or EC) is a signing key; its file
// name is a valid issuer. Private keys (*.key.pem) in the same folder are skipped.
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json next to the binary, whatever the working directory
});

var keysDir = builder.Configuration["keys"]
    ?? throw new InvalidOperationException("Missing --keys DIR (a folder of <partnerId>.pem public keys).");
var keys = Directory.EnumerateFiles(keysDir, "*.pem")
    .Where(path => !path.EndsWith(".key.pem", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal)
    .ToDictionary(path => Path.GetFileNameWithoutExtension(path), path => LoadPublicKey(File.ReadAllText(path)));
if (keys.Count == 0)
{
    throw new InvalidOperationException($"No public keys (*.pem) found in {keysDir}.");
}

builder.Services.AddAuthorization();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(options =>
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuers = keys.Keys,
            ValidAudience = builder.Configuration["Audience"],
            IssuerSigningKeys = keys.Values,
            ClockSkew = TimeSpan.FromSeconds(60),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
    });

var app = builder.Build();
BaselineLog.KeysLoaded(app.Logger, keys.Count, keysDir);

app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.MapGet("/v1/ping", (ClaimsPrincipal user) => Results.Ok(new
{
    status = "ok",
    partner = user.FindFirstValue("iss"),
    subject = user.FindFirstValue("sub"),
    timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
})).RequireAuthorization();

app.Run();

// RSA or EC public key; its KeyId is the RFC 7638 thumbprint, the kid partners put in the header.
static SecurityKey LoadPublicKey(string pem)
{
    using var rsa = RSA.Create();
    AsymmetricSecurityKey key;
    try
    {
        rsa.ImportFromPem(pem);
        key = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
    }
    catch (CryptographicException)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        key = new ECDsaSecurityKey(ec);
    }

    key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(key).ComputeJwkThumbprint());
    return key;
}

/// <summary>The baseline's one log line, through the source generator like every other.</summary>
internal static partial class BaselineLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Loaded {Count} partner keys from {Dir}")]
    public static partial void KeysLoaded(ILogger logger, int count, string dir);
}
