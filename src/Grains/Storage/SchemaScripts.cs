using System.Reflection;

namespace JustGold.Grains.Storage;

/// <summary>SQL scripts shipped inside this assembly (Storage/Schema/*.sql).</summary>
internal static class SchemaScripts
{
    /// <summary>The tables and queries Orleans' ADO.NET clustering reads on PostgreSQL.</summary>
    public static string OrleansClusteringPostgres => Read("OrleansClustering.PostgreSql.sql");

    private static string Read(string name)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
