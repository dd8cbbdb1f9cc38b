using JustGold.Api.Admin;
using JustGold.Api.Authorize;
using JustGold.Api.ExtAuthz;
using JustGold.Api.Hosting;
using JustGold.Api.Ping;
using JustGold.Operations;

var builder = WebApplication.CreateBuilder(HostArguments.WithoutConfigReload(args));
builder.AddPartnerAuthApi();

var app = builder.Build();
app.MapOperationsEndpoints();
app.MapPingApi();
app.MapAuthorizeApi();
app.MapExtAuthzApi();
app.MapAdminApi();
app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
