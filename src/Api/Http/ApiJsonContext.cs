using System.Text.Json;
using System.Text.Json.Serialization;
using JustGold.Api.Ping;

namespace JustGold.Api.Http;

/// <summary>Source-generated JSON for the bodies on the hot path: no reflection per request.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
