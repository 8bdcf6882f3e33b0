using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Data;

/// <summary>
/// The PostgreSQL role the platform runs as in production: the owner migrates, this role reads and
/// writes data but may only add to the audit tables. It cannot update or delete audit entries,
/// checkpoints or reviews, update registrations, disable the triggers (owner only) or skip them
/// (<c>session_replication_role</c> is superuser only).
/// </summary>
public static partial class ApplicationRole
{
    /// <summary>Tables the application may only read and add to.</summary>
    public static readonly IReadOnlyList<string> AppendOnly = ["AuditEntries", "AuditCheckpoints", "QueryReviews"];

    /// <summary>Added to, and deleted after ten years (the trigger refuses younger deletions); never updated.</summary>
    public const string Registrations = "QueryRegistrations";

    public static bool IsValidName(string role) => Name().IsMatch(role);

    public static IReadOnlyList<string> Statements(string role, string database)
    {
        if (!IsValidName(role))
        {
            throw new ArgumentException($"'{role}' is not a plain PostgreSQL role name (lower-case letters, digits, underscores).", nameof(role));
        }
        var r = $"\"{role}\"";
        var appendOnly = string.Join(", ", AppendOnly.Select(t => $"\"{t}\""));
        return
        [
            $"GRANT CONNECT ON DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" TO {r}",
            $"GRANT USAGE ON SCHEMA public TO {r}",
            $"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
            $"REVOKE UPDATE, DELETE ON {appendOnly} FROM {r}",
            $"REVOKE UPDATE ON \"{Registrations}\" FROM {r}",
            $"REVOKE INSERT, UPDATE, DELETE ON \"__EFMigrationsHistory\" FROM {r}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        ];
    }

    /// <summary>Applies the grants as the connected (owner) role; run it again after every migration.</summary>
    public static async Task GrantAsync(ChengxinDb db, string role, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            throw new InvalidOperationException("Roles and grants are PostgreSQL's; the embedded SQLite database has neither (its triggers still refuse edits).");
        }
        var database = db.Database.GetDbConnection().Database;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var statement in Statements(role, database))
        {
            await db.Database.ExecuteSqlRawAsync(statement, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Name();
}
