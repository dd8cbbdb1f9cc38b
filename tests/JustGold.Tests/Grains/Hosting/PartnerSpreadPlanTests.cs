using JustGold.Grains.Hosting;

namespace JustGold.Tests.Grains.Hosting;

public sealed class PartnerSpreadPlanTests
{
    private static IReadOnlyList<(string To, int Grains)> Moves(string self, Dictionary<string, int> counts, int tolerance = 1, int maxMoves = 1000) =>
        PartnerSpreadPlan.MovesFrom(self, counts, StringComparer.Ordinal, tolerance, maxMoves);

    /// <summary>Every silo's own part of the plan, carried out together.</summary>
    private static Dictionary<string, int> AfterEverySiloMoves(Dictionary<string, int> counts, int tolerance = 1)
    {
        var after = new Dictionary<string, int>(counts);
        foreach (var self in counts.Keys)
        {
            foreach (var (to, grains) in Moves(self, counts, tolerance))
            {
                after[self] -= grains;
                after[to] += grains;
            }
        }

        return after;
    }

    [Fact]
    public void A_silo_holding_every_grain_hands_half_to_the_one_that_returned_empty()
    {
        var counts = new Dictionary<string, int> { ["a"] = 8, ["b"] = 0 };

        Assert.Equal([("b", 4)], Moves("a", counts));
        Assert.Empty(Moves("b", counts));
    }

    [Fact]
    public void Silos_one_grain_apart_are_spread()
    {
        Assert.Empty(Moves("a", new() { ["a"] = 5, ["b"] = 4 }));
        Assert.Empty(Moves("a", new() { ["a"] = 3, ["b"] = 3, ["c"] = 2 }));
    }

    [Fact]
    public void The_parts_every_silo_computes_from_the_same_counts_add_up_to_an_even_spread()
    {
        var random = new Random(20261204);
        for (var trial = 0; trial < 200; trial++)
        {
            var counts = Enumerable.Range(0, random.Next(2, 8)).ToDictionary(i => $"silo{i}", _ => random.Next(0, 60));

            var after = AfterEverySiloMoves(counts);

            Assert.Equal(counts.Values.Sum(), after.Values.Sum());
            Assert.True(after.Values.Max() - after.Values.Min() <= 1, $"{string.Join(",", counts.Values)} -> {string.Join(",", after.Values)}");
            Assert.All(after.Values, v => Assert.True(v >= 0));
        }
    }

    [Fact]
    public void Grains_move_only_from_silos_above_the_others_to_silos_below()
    {
        var counts = new Dictionary<string, int> { ["a"] = 10, ["b"] = 0, ["c"] = 2 };

        Assert.Equal([("b", 4), ("c", 2)], Moves("a", counts));
        Assert.Empty(Moves("b", counts));
        Assert.Empty(Moves("c", counts));
    }

    [Fact]
    public void Silos_within_the_tolerance_are_left_alone_and_beyond_it_are_brought_within_it()
    {
        var tolerance = PartnerSpreadPlan.Tolerance(totalGrains: 2050, silos: 2, percent: 10);
        Assert.Equal(103, tolerance);

        Assert.Empty(Moves("b", new() { ["a"] = 1000, ["b"] = 1050 }, tolerance));
        var after = AfterEverySiloMoves(new() { ["a"] = 2050, ["b"] = 0 }, tolerance);
        Assert.True(after["a"] - after["b"] <= tolerance);
        Assert.True(after["a"] - after["b"] >= tolerance - 1, "moves stop once the silos are within the tolerance");
    }

    [Fact]
    public void The_tolerance_is_at_least_one_grain()
    {
        Assert.Equal(1, PartnerSpreadPlan.Tolerance(totalGrains: 8, silos: 2, percent: 10));
        Assert.Equal(1, PartnerSpreadPlan.Tolerance(totalGrains: 0, silos: 3, percent: 0));
        Assert.Equal(770, PartnerSpreadPlan.Tolerance(totalGrains: 100_000, silos: 13, percent: 10));
    }

    [Fact]
    public void A_round_hands_off_no_more_than_its_limit()
    {
        Assert.Equal([("b", 50)], Moves("a", new() { ["a"] = 1000, ["b"] = 0 }, maxMoves: 50));
    }

    [Fact]
    public void A_silo_missing_from_the_counts_or_alone_moves_nothing()
    {
        Assert.Empty(Moves("z", new() { ["a"] = 8, ["b"] = 0 }));
        Assert.Empty(Moves("a", new() { ["a"] = 8 }));
    }
}
