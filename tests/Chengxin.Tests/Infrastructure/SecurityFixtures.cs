using System.Net.Http.Json;
using System.Text.Json;
using Chengxin.Clients;
using Chengxin.Data;
using Chengxin.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Infrastructure;

/// <summary>Pushing penalties through the API, and changing audit rows the way an attacker with database access would.</summary>
public static class SecurityFixtures
{
    public static object Penalty(string sourceId, string idNumber, string decisionNo = "湘市监罚〔2025〕0001号") => new
    {
        sourceId,
        catalogItem = "admin-penalty",
        subject = new { idType = "resident-id", idNumber, name = "张三" },
        // A month ago: within a general penalty's year of display.
        occurredOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-30)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        fields = new
        {
            decisionNo,
            authority = "湖南省市场监督管理局",
            domain = "food-drug",
            violation = "销售过期食品",
            legalProvision = "《中华人民共和国食品安全法》第一百二十四条",
            penaltyType = "fine",
            fineAmount = 5000.0,
            severity = "general",
        },
    };

    /// <summary>A provider with a push-and-read client; returns the client and the identity numbers it pushed, one batch per entry in <paramref name="batches"/>.</summary>
    public static async Task<(HttpClient Client, List<string> Numbers, OrganisationView Provider)> PushAsync(TestPlatform platform, params int[] batches)
    {
        var provider = await platform.AddOrganisationAsync("市场监管", "admin-penalty");
        var credentials = await platform.AddClientAsync(provider.Code, ApiScopes.RecordsPush, ApiScopes.RecordsRead);
        var client = await platform.SystemClientAsync(credentials, $"{ApiScopes.RecordsPush} {ApiScopes.RecordsRead}");
        var numbers = new List<string>();
        foreach (var size in batches)
        {
            var batch = Enumerable.Range(0, size).Select(_ => TestCodes.NewResidentId()).ToList();
            numbers.AddRange(batch);
            var response = await client.PostAsJsonAsync("/api/v1/records", new { records = batch.Select(n => Penalty(SourceId(n), n)).ToArray() });
            response.EnsureSuccessStatusCode();
        }
        return (client, numbers, provider);
    }

    /// <summary>The source id the fixtures push a number's record under: derived from it, never containing it (ids travel in URLs and logs).</summary>
    public static string SourceId(string idNumber) => "S-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(idNumber)))[..16];

    /// <summary>Runs SQL with the append-only guards out of the way, as someone with the database's superuser or file would.</summary>
    public static Task TamperAsync(TestPlatform platform, string sql, params object[] parameters) =>
        platform.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<ChengxinDb>();
            await db.Database.OpenConnectionAsync();
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlRawAsync("SET session_replication_role = replica");
            }
            else
            {
                foreach (var table in new[] { "AuditEntries", "AuditCheckpoints", "QueryRegistrations", "QueryReviews" })
                {
                    var drop = "DROP TRIGGER IF EXISTS \"" + table + "_no_update\"; DROP TRIGGER IF EXISTS \"" + table + "_no_delete\"";
                    await db.Database.ExecuteSqlRawAsync(drop);
                }
            }
            await db.Database.ExecuteSqlRawAsync(sql, parameters);
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlRawAsync("SET session_replication_role = origin");
            }
            return 0;
        });

    /// <summary>A data-protection key stored plain, as before keys were encrypted: a stored key's secret decrypted, under a new id.</summary>
    public static async Task<Guid> AddPlainSessionKeyAsync(TestPlatform platform)
    {
        var plainId = Guid.NewGuid();
        await platform.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<ChengxinDb>();
            var encrypted = System.Xml.Linq.XElement.Parse(await db.DataProtectionKeys.Select(k => k.Xml!).FirstAsync());
            var secret = encrypted.Descendants().Single(e => e.Name.LocalName == "encryptedSecret");
            secret.ReplaceWith(new Chengxin.Keys.SessionKeyDecryptor(services).Decrypt(secret.Elements().Single()));
            encrypted.SetAttributeValue("id", plainId);
            db.DataProtectionKeys.Add(new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey { FriendlyName = $"key-{plainId}", Xml = encrypted.ToString() });
            return await db.SaveChangesAsync();
        });
        return plainId;
    }

    public static Task<T> DbAsync<T>(TestPlatform platform, Func<ChengxinDb, Task<T>> work) =>
        platform.WithScopeAsync(services => work(services.GetRequiredService<ChengxinDb>()));

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
