using System.Diagnostics.CodeAnalysis;
using JustGold.Grains.Contracts;

namespace JustGold.Api.Admin;

/// <summary>A partner update read from a request body, or why the body is <c>invalid_request</c>.</summary>
internal readonly record struct PartnerUpdateReading
{
    private PartnerUpdateReading(PartnerUpdate? update, string problem)
    {
        Update = update;
        Problem = problem;
    }

    public PartnerUpdate? Update { get; }

    /// <summary>What is wrong with the body; empty on success.</summary>
    public string Problem { get; }

    [MemberNotNullWhen(true, nameof(Update))]
    public bool Succeeded => Update is not null;

    public static PartnerUpdateReading Success(PartnerUpdate update) => new(update, "");

    public static PartnerUpdateReading Fail(string problem) => new(null, problem);
}
