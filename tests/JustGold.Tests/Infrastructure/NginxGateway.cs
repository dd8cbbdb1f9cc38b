namespace JustGold.Tests.Infrastructure;

/// <summary>
/// Real nginx running <c>deploy/nginx/justgold-gateway.conf</c> as shipped, with only its two
/// upstream addresses and its listen port replaced, in its own prefix directory on 127.0.0.1.
/// </summary>
public static class NginxGateway
{
    public const string ShippedConfig = "deploy/nginx/justgold-gateway.conf";

    public static Task<GatewayProcess> StartAsync(int authPort, int upstreamPort)
    {
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("justgold-nginx-").FullName;
        var site = File.ReadAllText(Path.Combine(RepoRoot.Path, ShippedConfig));
        site = ExecutableOnPath.ReplaceOnce(site, "server 127.0.0.1:8080;", $"server 127.0.0.1:{authPort};", ShippedConfig);
        site = ExecutableOnPath.ReplaceOnce(site, "server 127.0.0.1:9000;", $"server 127.0.0.1:{upstreamPort};", ShippedConfig);
        site = ExecutableOnPath.ReplaceOnce(site, "listen 8000;", $"listen 127.0.0.1:{port};", ShippedConfig);
        File.WriteAllText(Path.Combine(directory, "justgold-gateway.conf"), site);

        // The main file a distribution ships, reduced to what a test needs: everything in this directory,
        // workers as the same user (as root, nginx would otherwise switch them to "nobody").
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), user + $$"""
            worker_processes 1;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log {{directory}}/access.log;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{directory}}/justgold-gateway.conf;
            }
            """);
        return GatewayProcess.StartAsync("nginx", ["-p", directory, "-c", Path.Combine(directory, "nginx.conf")], directory, port);
    }
}
