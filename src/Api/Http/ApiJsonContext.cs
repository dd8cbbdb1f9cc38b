using System.Text.Json;
using System.Text.Json.Serialization;
using JustGold.Api.Admin.Responses;
using JustGold.Api.Ping;

namespace JustGold.Api.Http;

/// <summary>Source-generated JSON for every body the API writes: no reflection per request.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(PartnerResponse))]
[JsonSerializable(typeof(PartnerListResponse))]
[JsonSerializable(typeof(KeyResponse))]
[JsonSerializable(typeof(KeySetResponse))]
[JsonSerializable(typeof(AuditTrailResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
