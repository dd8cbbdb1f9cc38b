using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace JustGold.LoadTest;

/// <summary>
/// The load tool's flags as System.CommandLine options. Every flag takes a value (<c>--name value</c>, or
/// <c>--name=value</c>); a flag given twice keeps its last value, because scripts/benchmark.sh's wrapper passes
/// <c>--partners</c> and a call may pass it again. Help (<c>--help</c>, <c>-h</c>, <c>-?</c>) is
/// <see cref="Options.Usage"/>, the one text that documents the flags.
/// </summary>
internal static class OptionsCommand
{
    private static readonly Option<Uri[]> Url = Create<Uri[]>("--url", () => [], ParseUrls);
    private static readonly Option<string?> AdminKey = Create("--admin-key", () => Environment.GetEnvironmentVariable("JUSTGOLD_ADMIN_KEY"), Text);
    private static readonly Option<bool> Register = Create("--register", () => true, ParseBool);
    private static readonly Option<int> Partners = Create("--partners", () => 100, AtLeast(1));
    private static readonly Option<string> PartnerPrefix = Create("--partner-prefix", () => "load-", Text);
    private static readonly Option<string> Algorithm = Create("--alg", () => "RS256", ParseAlgorithm);
    private static readonly Option<bool> Kid = Create("--kid", () => true, ParseBool);
    private static readonly Option<Distribution> Spread = Create("--distribution", () => Distribution.Uniform, ParseDistribution);
    private static readonly Option<int> Connections = Create("--connections", () => 64, AtLeast(1));
    private static readonly Option<long?> Requests = Create<long?>("--requests", () => null, (name, value) => AtLeast(1)(name, value));
    private static readonly Option<double> Duration = Create("--duration", () => 30.0, ParsePositive);
    private static readonly Option<int> Buffer = Create("--buffer", () => 20_000, AtLeast(1));
    private static readonly Option<double?> Rate = Create<double?>("--rate", () => null, (name, value) => ParsePositive(name, value));
    private static readonly Option<string> KeysDir = Create("--keys-dir", () => "loadtest-keys", Text);
    private static readonly Option<string> Audience = Create("--audience", () => "justgold-api", Text);
    private static readonly Option<int> Ttl = Create("--ttl", () => 300, AtLeast(1));
    private static readonly Option<int> ReplaySample = Create("--replay-sample", () => 200, AtLeast(0));
    private static readonly Option<bool> ExpectReplay = Create("--expect-replay", () => true, ParseBool);
    private static readonly Option<double> Timeout = Create("--timeout", () => 30.0, ParsePositive);
    private static readonly Option<string?> Json = Create<string?>("--json", () => null, Text);
    private static readonly Option<bool> SetupOnly = Create("--setup-only", () => false, ParseBool);
    private static readonly Option<string?> SaveTokens = Create<string?>("--save-tokens", () => null, Text);
    private static readonly Option<string?> TokensFile = Create<string?>("--tokens-file", () => null, Text);
    private static readonly Option<int> Skip = Create("--skip", () => 0, AtLeast(0));
    private static readonly Option<int> Warmup = Create("--warmup", () => 0, AtLeast(0));
    private static readonly Option<double?> RateOfWarmup = Create<double?>("--rate-of-warmup", () => null, (name, value) => ParsePositive(name, value));

    private static readonly RootCommand Command = Build();

    // No @response-file expansion: a value such as an admin key may start with '@'.
    private static readonly ParserConfiguration Configuration = new() { ResponseFileTokenReplacer = null };

    /// <summary>See <see cref="Options.Parse"/>.</summary>
    public static Options? Parse(IReadOnlyList<string> args)
    {
        var result = Command.Parse(args, Configuration);
        if (result.Action is HelpAction)
        {
            return null;
        }

        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join('\n', result.Errors.Select(e => e.Message)));
        }

        var options = new Options
        {
            Urls = result.GetValue(Url)!,
            AdminKey = result.GetValue(AdminKey),
            Register = result.GetValue(Register),
            Partners = result.GetValue(Partners),
            PartnerPrefix = result.GetValue(PartnerPrefix)!,
            Algorithm = result.GetValue(Algorithm)!,
            IncludeKid = result.GetValue(Kid),
            Distribution = result.GetValue(Spread),
            Connections = result.GetValue(Connections),
            Requests = result.GetValue(Requests),
            DurationSeconds = result.GetValue(Duration),
            Buffer = result.GetValue(Buffer),
            Rate = result.GetValue(Rate),
            KeysDir = result.GetValue(KeysDir)!,
            Audience = result.GetValue(Audience)!,
            TtlSeconds = result.GetValue(Ttl),
            ReplaySample = result.GetValue(ReplaySample),
            ExpectReplay = result.GetValue(ExpectReplay),
            TimeoutSeconds = result.GetValue(Timeout),
            JsonFile = result.GetValue(Json),
            SetupOnly = result.GetValue(SetupOnly),
            SaveTokens = result.GetValue(SaveTokens),
            TokensFile = result.GetValue(TokensFile),
            Skip = result.GetValue(Skip),
            Warmup = result.GetValue(Warmup),
            RateOfWarmup = result.GetValue(RateOfWarmup),
        };
        Check(options, durationGiven: result.GetResult(Duration) is { Implicit: false });
        return options;
    }

    // Rules between flags, in the order a user is told about them.
    private static void Check(Options o, bool durationGiven)
    {
        if ((o.SaveTokens is not null || o.TokensFile is not null) && o.Requests is null)
        {
            throw new ArgumentException("--save-tokens and --tokens-file need --requests COUNT.");
        }

        if (o.Urls.Count == 0 && !((o.SetupOnly || o.SaveTokens is not null) && !o.Register))
        {
            throw new ArgumentException("--url is required.");
        }

        if (o.Warmup > 0 && o.Requests is null)
        {
            throw new ArgumentException("--warmup needs --requests COUNT.");
        }

        if (o.RateOfWarmup is { } fraction && (o.Warmup == 0 || o.Rate is not null || fraction > 1))
        {
            throw new ArgumentException("--rate-of-warmup F needs --warmup N, takes the place of --rate, and F is at most 1.");
        }

        if (o.Requests is not null && durationGiven)
        {
            throw new ArgumentException("Give either --requests or --duration, not both.");
        }

        if (o.Register && string.IsNullOrEmpty(o.AdminKey))
        {
            throw new ArgumentException("Registration needs --admin-key (or JUSTGOLD_ADMIN_KEY); use --register false to skip it.");
        }
    }

    private static RootCommand Build()
    {
        var command = new RootCommand("JustGold partner-auth load test") { TreatUnmatchedTokensAsErrors = true };

        // Only the help flags the usage text names; no --version.
        command.Options.Clear();
        command.Options.Add(new HelpOption("--help", "-h", "-?"));
        foreach (var option in new Option[]
        {
            Url, AdminKey, Register, Partners, PartnerPrefix, Algorithm, Kid, Spread, Connections, Requests, Duration,
            Buffer, Rate, KeysDir, Audience, Ttl, ReplaySample, ExpectReplay, Timeout, Json, SetupOnly, SaveTokens,
            TokensFile, Skip, Warmup, RateOfWarmup,
        })
        {
            command.Options.Add(option);
        }

        return command;
    }

    // One value per occurrence; when the flag is repeated, the last occurrence wins.
    private static Option<T> Create<T>(string name, Func<T> defaultValue, Func<string, string, T> parse) => new(name)
    {
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => defaultValue(),
        CustomParser = result =>
        {
            try
            {
                return parse(name, result.Tokens[^1].Value);
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message);
                return default!;
            }
        },
    };

    private static string Text(string name, string value) => value;

    private static Uri[] ParseUrls(string name, string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseUrl)];

    private static Uri ParseUrl(string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"--url: '{value}' is not an http(s) URL.");

    private static string ParseAlgorithm(string name, string value) => value.ToUpperInvariant() switch
    {
        "RS256" or "PS256" or "ES256" => value.ToUpperInvariant(),
        _ => throw new ArgumentException($"--alg must be RS256, PS256 or ES256, not '{value}'."),
    };

    private static Distribution ParseDistribution(string name, string value) => value.ToLowerInvariant() switch
    {
        "uniform" => Distribution.Uniform,
        "hot" => Distribution.Hot,
        _ => throw new ArgumentException($"--distribution must be uniform or hot, not '{value}'."),
    };

    // System.CommandLine only takes true or false (any case) as a bool option's value; the usage text says true|false.
    private static bool ParseBool(string name, string value) => bool.Parse(value);

    private static Func<string, string, int> AtLeast(int min) => (name, value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"{name} must be an integer >= {min}, not '{value}'.");

    private static double ParsePositive(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
            ? d
            : throw new ArgumentException($"{name} must be a positive number, not '{value}'.");
}
