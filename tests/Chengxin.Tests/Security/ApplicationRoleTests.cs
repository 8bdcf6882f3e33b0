using Chengxin.Audit;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Hosting;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Chengxin.Tests.Security;

/// <summary>
/// On PostgreSQL the platform runs as a role that can add to the audit log but never change it:
/// not by UPDATE or DELETE, not by disabling the triggers, not by skipping them.
/// </summary>
public sealed class ApplicationRoleTests
{
    [Fact]
    public async Task ThePlatformRunsAsARoleThatCanOnlyAddToTheAuditLog()
    {
        await using var platform = await TestPlatform.StartAsync("postgres");
        var role = "chengxin_app_" + Guid.NewGuid().ToString("N")[..8];
        var owner = new NpgsqlConnectionStringBuilder(platform.Services.GetRequiredService<DatabaseOptions>().ConnectionString);
        await SecurityFixtures.DbAsync(platform, async db =>
        {
            var create = "CREATE ROLE " + role + " LOGIN"; // a generated plain identifier
            await db.Database.ExecuteSqlRawAsync(create);
            await ApplicationRole.GrantAsync(db, role, CancellationToken.None);
            return 0;
        });
        var asApp = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Username = role, Pooling = false }.ConnectionString;

        // The platform starts and works as the role: it issues a system (OpenIddict, clients, audit) and the chain still verifies.
        await using (var node = platform.Sibling(new Dictionary<string, string?> { ["Database:ConnectionString"] = asApp }))
        {
            await PlatformHost.PrepareAsync(node, demo: false, CancellationToken.None);
            await using var scope = node.Services.CreateAsyncScope();
            var department = await platform.AddOrganisationAsync("应急管理厅", "admin-penalty");
            var (credentials, problems) = await scope.ServiceProvider.GetRequiredService<ClientService>().AddAsync("应急执法系统", department.Code, [ApiScopes.RecordsPush], CancellationToken.None);
            Assert.Empty(problems);
            Assert.NotNull(credentials);
            Assert.True((await scope.ServiceProvider.GetRequiredService<AuditVerification>().VerifyAsync([], CancellationToken.None)).Intact);
        }

        await using var connection = new NpgsqlConnection(asApp);
        await connection.OpenAsync();
        foreach (var attack in new[]
        {
            "UPDATE \"AuditEntries\" SET \"Detail\" = '{}' WHERE \"Sequence\" = 1",
            "DELETE FROM \"AuditEntries\"",
            "TRUNCATE \"AuditEntries\"",
            "DELETE FROM \"AuditCheckpoints\"",
            "UPDATE \"QueryRegistrations\" SET \"Purpose\" = 'x'",
            "ALTER TABLE \"AuditEntries\" DISABLE TRIGGER ALL",
            "SET session_replication_role = replica",
            "DELETE FROM \"__EFMigrationsHistory\"",
        })
        {
            await using var command = new NpgsqlCommand(attack, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{attack}: {refused.SqlState} {refused.MessageText}");
        }
        await using var count = new NpgsqlCommand("SELECT count(*) FROM \"AuditEntries\" WHERE \"Action\" = 'client.add'", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public void ARoleNameThatIsNotAPlainIdentifierIsRefused()
    {
        Assert.Throws<ArgumentException>(() => ApplicationRole.Statements("app\"; DROP TABLE x; --", "chengxin"));
        Assert.False(ApplicationRole.IsValidName("App"));
        Assert.True(ApplicationRole.IsValidName("chengxin_app"));
    }
}
