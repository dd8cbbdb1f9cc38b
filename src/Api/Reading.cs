using System.Diagnostics.CodeAnalysis;

namespace JustGold.Api;

/// <summary>
/// The outcome of reading something a caller sent (a token's form, an operator's body): the
/// value, or what is wrong with it in words for that caller. One shape for every reader.
/// </summary>
internal readonly record struct Reading<T>
    where T : class
{
    private Reading(T? value, string problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    /// <summary>What is wrong, for the caller; empty on success.</summary>
    public string Problem { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Value is not null;

    public static Reading<T> Success(T value) => new(value, "");

    public static Reading<T> Fail(string problem) => new(null, problem);
}
