namespace JustGold.LoadTest;

/// <summary>Command-line options; <see cref="OptionsCommand"/> parses them with System.CommandLine.</summary>
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
          --save-tokens FILE     sign --requests COUNT tokens, write them to FILE (one per line) and exit;
                                 with --register false no --url is needed
          --tokens-file FILE     count mode: send tokens read from FILE (made by --save-tokens with the
                                 same --keys-dir, --alg and --partners) instead of signing them
          --skip N               with --tokens-file: start at line N, so runs against one server
                                 process use disjoint tokens (default 0)
          --warmup N             count mode: first send N more tokens as fast as possible, uncounted,
                                 so connections are open and both sides' code is compiled before the
                                 clock starts; an open-loop run otherwise starts behind its schedule
                                 and counts the catch-up as latency (default 0)
          --rate-of-warmup F     with --warmup: the open-loop rate is F times the req/s the warm-up
                                 reached, so the rate is a share of what this tool and the server
                                 manage together on this machine (0 < F <= 1; instead of --rate)
          --setup-only true|false  only create/load the keys (and register them), then exit; with
                                 --register false no --url is needed (default false)
          --help                 this text

        Exit code: 0 when every main-phase answer was 200 and every replayed token got
        401 replayed_token; 1 on any other answer; 2 on bad options; 3 when setup failed.
        """;

    public required IReadOnlyList<Uri> Urls { get; init; }
    public string? AdminKey { get; init; }
    public bool Register { get; init; }
    public int Partners { get; init; }
    public required string PartnerPrefix { get; init; }
    public required string Algorithm { get; init; }
    public bool IncludeKid { get; init; }
    public Distribution Distribution { get; init; }
    public int Connections { get; init; }
    public long? Requests { get; init; }
    public double DurationSeconds { get; init; }
    public int Buffer { get; init; }
    public double? Rate { get; init; }
    public required string KeysDir { get; init; }
    public required string Audience { get; init; }
    public int TtlSeconds { get; init; }
    public int ReplaySample { get; init; }
    public bool ExpectReplay { get; init; }
    public double TimeoutSeconds { get; init; }
    public string? JsonFile { get; init; }
    public bool SetupOnly { get; init; }
    public string? SaveTokens { get; init; }
    public string? TokensFile { get; init; }
    public int Skip { get; init; }
    public int Warmup { get; init; }
    public double? RateOfWarmup { get; init; }

    public bool IsRsa => Algorithm != "ES256";

    /// <summary>
    /// Parses the arguments: null when help was asked for; throws <see cref="ArgumentException"/> with a message for
    /// the user when they are not valid.
    /// </summary>
    public static Options? Parse(IReadOnlyList<string> args) => OptionsCommand.Parse(args);
}
