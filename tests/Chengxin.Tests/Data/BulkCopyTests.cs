using Chengxin.Data;
using Chengxin.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Data;

/// <summary>The group commit's insert (PostgreSQL only): every value of every row comes back as written, nulls included.</summary>
public sealed class BulkCopyOnPostgres
{
    [Fact]
    public async Task RowsInsertedInOneBatchComeBackAsWritten()
    {
        await using var platform = await TestPlatform.StartAsync("postgres");
        // Three rows of one type and a lone row of another, interleaved. Times carry an offset, stored in UTC.
        var at = new DateTimeOffset(2026, 12, 2, 20, 30, 15, TimeSpan.FromHours(8)).AddTicks(1230);
        var registrations = Enumerable.Range(0, 3).Select(i => new QueryRegistration
        {
            At = at.AddSeconds(i),
            SubjectId = Guid.NewGuid(),
            Actor = $"client:测试{i}",
            OrganisationId = i == 0 ? null : Guid.NewGuid(),
            Channel = "api",
            Purpose = i == 2 ? "" : "个人贷款审批",
            Basis = $"authorisation:{i}",
            Items = i == 1 ? "" : "A01,B02",
            Records = i * 7,
            DisclosedFrom = i == 2 ? at.AddDays(30) : null,
            AuditSequence = 1000 + i,
        }).ToList();
        var report = new CreditReport
        {
            ReportNo = "CX20261202TESTBULK",
            VerificationCode = "0123456789ABCDEF",
            SubjectId = Guid.NewGuid(),
            Kind = "authorised",
            QuerierId = null,
            AuthorisationId = Guid.NewGuid(),
            MaskedIdentity = "4301**********1234 张*",
            ContentSha256 = new string('a', 64),
            ContentCipher = [0, 1, 2, 255],
            IssuedAt = at,
        };

        await platform.WithScopeAsync(s => BulkCopy.InsertBatchedAsync(s.GetRequiredService<ChengxinDb>(), [registrations[0], report, registrations[1], registrations[2]], CancellationToken.None));

        var (stored, storedReport) = await platform.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ChengxinDb>();
            var ids = registrations.Select(r => r.Id).ToList();
            return (await db.QueryRegistrations.AsNoTracking().Where(q => ids.Contains(q.Id)).OrderBy(q => q.AuditSequence).ToListAsync(),
                await db.Reports.AsNoTracking().SingleAsync(r => r.Id == report.Id));
        });
        Assert.Equal(registrations.Select(Describe), stored.Select(Describe));
        Assert.Equal(
            (report.ReportNo, report.VerificationCode, report.SubjectId, report.Kind, report.QuerierId, report.AuthorisationId, report.MaskedIdentity, report.ContentSha256, report.IssuedAt.UtcTicks),
            (storedReport.ReportNo, storedReport.VerificationCode, storedReport.SubjectId, storedReport.Kind, storedReport.QuerierId, storedReport.AuthorisationId, storedReport.MaskedIdentity,
                storedReport.ContentSha256, storedReport.IssuedAt.UtcTicks));
        Assert.Equal(report.ContentCipher, storedReport.ContentCipher);
    }

    private static string Describe(QueryRegistration q) =>
        $"{q.Id}|{q.At.UtcTicks}|{q.SubjectId}|{q.Actor}|{q.OrganisationId}|{q.Channel}|{q.Purpose}|{q.Basis}|{q.Items}|{q.Records}|{q.DisclosedFrom?.UtcTicks}|{q.AuditSequence}";
}
