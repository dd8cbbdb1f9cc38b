namespace JustGold.Grains.Hosting;

/// <summary>
/// How many partner grains one silo hands to each other silo. Every silo computes the same plan
/// from the same counts and carries out only its own part, so nothing needs to coordinate:
/// counts read a moment apart differ only by moves still in flight, and the next round corrects
/// them. The plan moves one grain at a time from the fullest silo to the emptiest (ties go to the
/// first in <c>order</c>) until they differ by no more than <paramref name="tolerance"/>.
/// </summary>
internal static class PartnerSpreadPlan
{
    public static IReadOnlyList<(TSilo To, int Grains)> MovesFrom<TSilo>(
        TSilo self, IReadOnlyDictionary<TSilo, int> grainsPerSilo, IComparer<TSilo> order, int tolerance, int maxMoves)
        where TSilo : notnull
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, 1);
        var silos = grainsPerSilo.Keys.Order(order).ToArray();
        var selfIndex = Array.IndexOf(silos, self);
        if (selfIndex < 0 || silos.Length < 2)
        {
            return [];
        }

        var load = silos.Select(s => grainsPerSilo[s]).ToArray();
        var moves = new int[silos.Length];
        var moved = 0;
        while (moved < maxMoves)
        {
            int fullest = 0, emptiest = 0;
            for (var i = 1; i < load.Length; i++)
            {
                fullest = load[i] > load[fullest] ? i : fullest;
                emptiest = load[i] < load[emptiest] ? i : emptiest;
            }

            if (load[fullest] - load[emptiest] <= tolerance)
            {
                break;
            }

            load[fullest]--;
            load[emptiest]++;
            if (fullest == selfIndex)
            {
                moves[emptiest]++;
                moved++;
            }
        }

        return silos.Select((silo, i) => (silo, moves[i])).Where(m => m.Item2 > 0).ToList();
    }

    /// <summary>
    /// How far apart two silos may be and still count as spread: one grain, or
    /// <paramref name="percent"/> of a fair share, whichever is more. Without that slack a
    /// large cluster would keep moving grains for placement's ordinary noise, and every move
    /// reloads a partner's keys and live jti records from storage.
    /// </summary>
    public static int Tolerance(int totalGrains, int silos, int percent) =>
        Math.Max(1, (int)Math.Ceiling(totalGrains / (double)Math.Max(1, silos) * percent / 100));
}
