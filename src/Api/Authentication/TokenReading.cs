using System.Diagnostics.CodeAnalysis;

namespace JustGold.Api.Authentication;

/// <summary>The outcome of the form checks: a token to verify, or why it is <c>invalid_token</c>.</summary>
internal readonly record struct TokenReading
{
    private TokenReading(ParsedToken? token, string problem)
    {
        Token = token;
        Problem = problem;
    }

    public ParsedToken? Token { get; }

    /// <summary>What is wrong with the token's form, for the partner; empty on success.</summary>
    public string Problem { get; }

    [MemberNotNullWhen(true, nameof(Token))]
    public bool Succeeded => Token is not null;

    public static TokenReading Success(ParsedToken token) => new(token, "");

    public static TokenReading Fail(string problem) => new(null, problem);
}
