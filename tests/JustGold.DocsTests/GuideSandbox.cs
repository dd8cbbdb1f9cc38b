using System.Text.Json.Nodes;
using JustGold.DocsTests.Infrastructure;

namespace JustGold.DocsTests;

/// <summary>A partner key made and uploaded by the guide's own commands.</summary>
public sealed record GuideKey(string Name, string PrivateKeyFile, string Kid, JsonObject Upload);

/// <summary>
/// The guide, followed for real: the API started as the operations page says, then the
/// guide's command blocks run as written — register the partner, make each kind of key pair
/// with openssl, upload each public key. The examples then sign with those keys.
/// </summary>
public sealed class GuideSandbox : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private string _workDirectory = "";
    private ApiServer? _api;

    public ApiServer Api => _api ?? throw new InvalidOperationException("Not started.");

    public string PartnerId { get; } = "docs-e2e-" + Guid.NewGuid().ToString("N")[..8];

    public IReadOnlyList<CodeBlock> Blocks { get; } = MarkdownBlocks.Read(File.ReadAllText(Repo.Guide));

    public Dictionary<string, GuideKey> Keys { get; } = [];

    /// <summary>What the guide's variables block sets, pointing at this test's server.</summary>
    public Dictionary<string, string?> Environment(GuideKey? key = null, bool sendTwice = false, bool withKid = false)
    {
        var env = new Dictionary<string, string?>
        {
            ["JUSTGOLD_URL"] = Api.BaseUrl,
            ["JUSTGOLD_PARTNER_ID"] = PartnerId,
            ["JUSTGOLD_ADMIN_KEY"] = Api.AdminKey,
            ["JUSTGOLD_SEND_TWICE"] = sendTwice ? "1" : null,
            ["JUSTGOLD_KID"] = null,
        };
        if (key is not null)
        {
            env["JUSTGOLD_KEY_FILE"] = key.PrivateKeyFile;
            env["JUSTGOLD_KID"] = withKid ? key.Kid : null;
        }

        return env;
    }

    public async Task<ProcessResult> RunBlockAsync(string marker, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var block = MarkdownBlocks.Single(Blocks, "run " + marker);
        var result = await ChildProcess.BashAsync(block.Content, workingDirectory, environment, timeout ?? CommandTimeout);
        return result;
    }

    public async Task InitializeAsync()
    {
        Tools.Require("openssl", "apt-get install -y openssl");
        Tools.Require("curl", "apt-get install -y curl");
        _workDirectory = Directory.CreateTempSubdirectory("justgold-docs-guide-").FullName;
        _api = await ApiServer.StartAsync();
        try
        {
            await FollowGuideAsync();
        }
        catch
        {
            // xunit may not dispose a fixture whose initialization failed: stop the API here.
            await DisposeAsync();
            throw;
        }
    }

    private async Task FollowGuideAsync()
    {
        var register = await RunBlockAsync("register", _workDirectory, Environment());
        Assert.True(register.ExitCode == 0, $"The guide's register command failed.\n{register}");
        var partner = JsonNode.Parse(register.Output)!.AsObject();
        Assert.Equal(PartnerId, (string?)partner["id"]);
        Assert.Equal("active", (string?)partner["status"]);

        foreach (var name in new[] { "rsa-2048", "rsa-4096", "ec-p256" })
        {
            var directory = Path.Combine(_workDirectory, name);
            Directory.CreateDirectory(directory);
            var made = await RunBlockAsync("keygen-" + name, directory, Environment());
            Assert.True(made.ExitCode == 0, $"The guide's {name} key commands failed.\n{made}");
            Assert.True(File.Exists(Path.Combine(directory, "private.pem")), $"{name}: the guide's commands made no private.pem");
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----", await File.ReadAllTextAsync(Path.Combine(directory, "public.pem")), StringComparison.Ordinal);

            var upload = await RunBlockAsync("upload", directory, Environment());
            Assert.True(upload.ExitCode == 0, $"The guide's upload command failed for {name}.\n{upload}");
            var key = JsonNode.Parse(upload.Output)!.AsObject();
            Assert.Equal("active", (string?)key["status"]);
            Assert.Equal(name.StartsWith("rsa", StringComparison.Ordinal) ? "RSA" : "EC", (string?)key["kty"]);
            Keys[name] = new GuideKey(name, Path.Combine(directory, "private.pem"), (string)key["kid"]!, key);
        }
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
            _api = null;
        }

        if (_workDirectory.Length > 0 && Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
            _workDirectory = "";
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GuideSandboxCollection : ICollectionFixture<GuideSandbox>
{
    public const string Name = "guide sandbox";
}
