using JustGold.Api.Admin;
using JustGold.Api.Authorize;
using JustGold.Api.ExtAuthz;
using JustGold.Api.Hosting;
using JustGold.Api.Operations;
using JustGold.Api.Ping;

var builder = WebApplication.CreateBuilder(args);
builder.AddPartnerAuthApi();

var app = builder.Build();
app.MapOperationsApi();
app.MapPingApi();
app.MapAuthorizeApi();
app.MapExtAuthzApi();
app.MapAdminApi();
app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
