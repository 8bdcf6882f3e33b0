using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Data;

/// <summary>Migrations that change rows already there, run on rows as the build before them wrote.</summary>
public abstract partial class DatabaseTests<TPlatform>
{
    [Fact]
    public async Task EvidenceRegisteredBeforeUnderTheGivenNameIsKeptByItsTypeOnceMigrated()
    {
        var (_, numbers, _) = await SecurityFixtures.PushAsync(Platform, 4);
        var bank = await Platform.AddOrganisationAsync("迁移测试银行", "bank", uses: false);
        var client = await Platform.SystemClientAsync(await Platform.AddClientAsync(bank.Code, ApiScopes.Reports), ApiScopes.Reports);
        // Names as scans came before, each type in another case; the first holds the person's number, as they often do.
        var given = new[] { $"张三_{numbers[0]}_授权书.PDF", "扫描件.Png", "照片.JPEG", "photo.jpg" };
        var ids = new List<Guid>();
        for (var i = 0; i < given.Length; i++)
        {
            var registered = await client.PostAsJsonAsync("/api/v1/authorizations", new
            {
                subject = new { idType = "resident-id", idNumber = numbers[i], name = "张三" },
                purpose = "个人经营贷款审批",
                categories = new[] { "administrative" },
                validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                evidence = new { fileName = "授权书.pdf", contentBase64 = Convert.ToBase64String(TestEvidence.SignedAuthorisationPdf()) },
            });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            ids.Add((await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizationId").GetGuid());
        }
        var withoutEvidence = await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.CountAsync(a => a.EvidenceFileName == null));

        var names = await Platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            // The rows as the build before the migration kept them: under the name the querier gave.
            for (var i = 0; i < ids.Count; i++)
            {
                await db.Database.ExecuteSqlAsync($"""UPDATE "Authorisations" SET "EvidenceFileName" = {given[i]} WHERE "Id" = {ids[i]}""");
            }
            var migrations = db.Database.GetMigrations().ToList();
            var renaming = migrations.FindIndex(m => m.EndsWith("_EvidenceKeptByTypeOnly", StringComparison.Ordinal));
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(migrations[renaming - 1]);
            await migrator.MigrateAsync();
            return await db.Authorisations.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.EvidenceFileName);
        });

        Assert.Equal(["书面授权书.pdf", "书面授权书.png", "书面授权书.jpeg", "书面授权书.jpg"], ids.Select(id => names[id]));
        Assert.Equal(withoutEvidence, await SecurityFixtures.DbAsync(Platform, db => db.Authorisations.CountAsync(a => a.EvidenceFileName == null)));
        Assert.Empty(await Platform.WithScopeAsync(s => s.GetRequiredService<ChengxinDb>().Database.GetPendingMigrationsAsync()));
    }
}
