using JustGold.Grains.Hosting;

// A silo of the partner-auth cluster: serves any partner's grain; API nodes reach it as clients.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddPartnerAuthSilo(builder.Configuration));
builder.Build().Run();
