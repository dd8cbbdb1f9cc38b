using System.Globalization;

namespace JustGold.LoadTest;

internal enum Distribution
{
    Uniform,
    Hot,
}

/// <summary>Command-line options, hand-parsed from <c>--name value</c> pairs.</summary>
internal sealed class Options
{
    public const string Usage = """
        JustGold partner-auth load test: signs distinct partner JWTs and drives GET /v1/ping.

        Usage: JustGold.LoadTest --url URL[,URL...] [options]

          --url URLS             base URL(s), comma-separated; requests round-robin across them (required)
          --admin-key KEY        admin API key for registration (or env JUSTGOLD_ADMIN_KEY)
          --register true|false  register partners and upload public keys via /admin (default true)
          --partners N           number of partners (default 100)
          --partner-prefix P     partner ids are P + rsa-|ec- + index, e.g. load-rsa-0 (default load-)
          --alg ALG              RS256 | PS256 | ES256 (default RS256); RSA 2048 or EC P-256 keys
          --kid true|false       put the key's kid (RFC 7638 thumbprint) in the header (default true)
          --distribution D       uniform (random partner per token) | hot (all tokens for one partner)
          --connections C        concurrent connections and workers (default 64)
          --requests COUNT       send COUNT requests; tokens are pre-generated before the run
          --duration SECONDS     run for SECONDS; tokens are generated ahead in a bounded pipeline
                                 (default mode: --duration 30)
          --buffer N             duration mode: pipeline capacity, filled before the clock starts
                                 (default 20000)
          --rate R               fixed target rate in req/s (open loop; latency measured from the
                                 scheduled send time); default: as fast as possible
          --keys-dir DIR         key pairs: <id>.key.pem (PKCS#8 private), <id>.pem (SPKI public);
                                 reused when present, created otherwise (default ./loadtest-keys)
          --audience AUD         aud claim (default justgold-api)
          --ttl SECONDS          exp - iat of each token (default 300)
          --replay-sample N      accepted tokens resent in the replay phase (default 200)
          --expect-replay true|false  run the replay phase; expects 401 replayed_token (default true)
          --timeout SECONDS      per-request timeout (default 30)
          --json FILE            also write the summary as JSON to FILE
          --setup-only true|false  only create/load the keys (and register them), then exit; with
                                 --register false no --url is needed (default false)
          --help                 this text

        Exit code: 0 when every main-phase answer was 200 and every replayed token got
        401 replayed_token; 1 on any other answer; 2 on bad options; 3 when setup failed.
        """;

    public IReadOnlyList<Uri> Urls { get; private set; } = [];
    public string? AdminKey { get; private set; } = Environment.GetEnvironmentVariable("JUSTGOLD_ADMIN_KEY");
    public bool Register { get; private set; } = true;
    public int Partners { get; private set; } = 100;
    public string PartnerPrefix { get; private set; } = "load-";
    public string Algorithm { get; private set; } = "RS256";
    public bool IncludeKid { get; private set; } = true;
    public Distribution Distribution { get; private set; } = Distribution.Uniform;
    public int Connections { get; private set; } = 64;
    public long? Requests { get; private set; }
    public double DurationSeconds { get; private set; } = 30;
    public int Buffer { get; private set; } = 20_000;
    public double? Rate { get; private set; }
    public string KeysDir { get; private set; } = "loadtest-keys";
    public string Audience { get; private set; } = "justgold-api";
    public int TtlSeconds { get; private set; } = 300;
    public int ReplaySample { get; private set; } = 200;
    public bool ExpectReplay { get; private set; } = true;
    public double TimeoutSeconds { get; private set; } = 30;
    public string? JsonFile { get; private set; }
    public bool SetupOnly { get; private set; }

    public bool Help { get; private set; }

    public bool IsRsa => Algorithm != "ES256";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static Options Parse(IReadOnlyList<string> args)
    {
        var o = new Options();
        var durationGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h" or "-?")
            {
                o.Help = true;
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{name}'.");
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"Option {name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--url":
                    o.Urls = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseUrl)];
                    break;
                case "--admin-key": o.AdminKey = value; break;
                case "--register": o.Register = ParseBool(name, value); break;
                case "--partners": o.Partners = ParseInt(name, value, 1); break;
                case "--partner-prefix": o.PartnerPrefix = value; break;
                case "--alg":
                    o.Algorithm = value.ToUpperInvariant() switch
                    {
                        "RS256" => "RS256",
                        "PS256" => "PS256",
                        "ES256" => "ES256",
                        _ => throw new ArgumentException($"--alg must be RS256, PS256 or ES256, not '{value}'."),
                    };
                    break;
                case "--kid": o.IncludeKid = ParseBool(name, value); break;
                case "--distribution":
                    o.Distribution = value.ToLowerInvariant() switch
                    {
                        "uniform" => Distribution.Uniform,
                        "hot" => Distribution.Hot,
                        _ => throw new ArgumentException($"--distribution must be uniform or hot, not '{value}'."),
                    };
                    break;
                case "--connections": o.Connections = ParseInt(name, value, 1); break;
                case "--requests": o.Requests = ParseInt(name, value, 1); break;
                case "--duration": o.DurationSeconds = ParseDouble(name, value); durationGiven = true; break;
                case "--buffer": o.Buffer = ParseInt(name, value, 1); break;
                case "--rate": o.Rate = ParseDouble(name, value); break;
                case "--keys-dir": o.KeysDir = value; break;
                case "--audience": o.Audience = value; break;
                case "--ttl": o.TtlSeconds = ParseInt(name, value, 1); break;
                case "--replay-sample": o.ReplaySample = ParseInt(name, value, 0); break;
                case "--expect-replay": o.ExpectReplay = ParseBool(name, value); break;
                case "--timeout": o.TimeoutSeconds = ParseDouble(name, value); break;
                case "--json": o.JsonFile = value; break;
                case "--setup-only": o.SetupOnly = ParseBool(name, value); break;
                default: throw new ArgumentException($"Unknown option {name} (see --help).");
            }
        }

        if (o.Help)
        {
            return o;
        }

        if (o.Urls.Count == 0 && !(o.SetupOnly && !o.Register))
        {
            throw new ArgumentException("--url is required.");
        }

        if (o.Requests is not null && durationGiven)
        {
            throw new ArgumentException("Give either --requests or --duration, not both.");
        }

        if (o.Register && string.IsNullOrEmpty(o.AdminKey))
        {
            throw new ArgumentException("Registration needs --admin-key (or JUSTGOLD_ADMIN_KEY); use --register false to skip it.");
        }

        return o;
    }

    private static Uri ParseUrl(string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"--url: '{value}' is not an http(s) URL.");

    private static bool ParseBool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw new ArgumentException($"{name} must be true or false, not '{value}'."),
    };

    private static int ParseInt(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"{name} must be an integer >= {min}, not '{value}'.");

    private static double ParseDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
            ? d
            : throw new ArgumentException($"{name} must be a positive number, not '{value}'.");
}
