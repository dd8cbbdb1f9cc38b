namespace JustGold.Tests.Infrastructure;

/// <summary>
/// Real Caddy running <c>deploy/caddy/Caddyfile</c> as shipped, with only its two upstream
/// addresses and its site address replaced, with its own home and data folders on 127.0.0.1.
/// </summary>
public static class CaddyGateway
{
    public const string ShippedConfig = "deploy/caddy/Caddyfile";

    public static Task<GatewayProcess> StartAsync(int authPort, int upstreamPort)
    {
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("justgold-caddy-").FullName;
        var site = File.ReadAllText(Path.Combine(RepoRoot.Path, ShippedConfig));
        site = ExecutableOnPath.ReplaceOnce(site, "forward_auth 127.0.0.1:8080 {", $"forward_auth 127.0.0.1:{authPort} {{", ShippedConfig);
        site = ExecutableOnPath.ReplaceOnce(site, "reverse_proxy 127.0.0.1:9000", $"reverse_proxy 127.0.0.1:{upstreamPort}", ShippedConfig);
        site = ExecutableOnPath.ReplaceOnce(site, ":8000 {", $"http://127.0.0.1:{port} {{", ShippedConfig);
        var file = Path.Combine(directory, "Caddyfile");
        File.WriteAllText(file, site);

        // Caddy keeps state under $HOME and the XDG folders: this directory, not the user's.
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = directory,
            ["XDG_DATA_HOME"] = Path.Combine(directory, "data"),
            ["XDG_CONFIG_HOME"] = Path.Combine(directory, "config"),
        };
        return GatewayProcess.StartAsync("caddy", ["run", "--config", file, "--adapter", "caddyfile"], directory, port, environment);
    }
}
