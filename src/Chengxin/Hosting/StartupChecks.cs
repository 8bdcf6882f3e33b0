using Chengxin.Data;

namespace Chengxin.Hosting;

/// <summary>Configuration checked before anything starts, each problem as one line that says how to fix it.</summary>
public static class StartupChecks
{
    public static IEnumerable<string> Database(DatabaseOptions options)
    {
        if (options.Provider is not ("sqlite" or "postgres"))
        {
            yield return $"Database:Provider is '{options.Provider}'; it must be 'sqlite' or 'postgres'.";
        }
        if (options.IsPostgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            yield return "Database:ConnectionString is required when Database:Provider is 'postgres' (e.g. Host=...;Database=chengxin;Username=...).";
        }
    }
}
