namespace JustGold.LoadTest;

/// <summary>How tokens are spread over the partners.</summary>
internal enum Distribution
{
    /// <summary>A random partner per token.</summary>
    Uniform,

    /// <summary>All tokens for one partner.</summary>
    Hot,
}
