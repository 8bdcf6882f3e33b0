using System.Text.Json;
using Chengxin.Data;
using Chengxin.Identity;
using Chengxin.Records;
using Chengxin.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace Chengxin.Tests.Infrastructure;

/// <summary>Records written straight to the database, for tests of reading them back.</summary>
public static class RecordFixtures
{
    public static Task<Guid> AddRecordAsync(TestPlatform platform, Guid providerId, string sourceId, string? idNumber = null) =>
        platform.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<ChengxinDb>();
            var subject = await services.GetRequiredService<SubjectRegistry>()
                .FindOrAddAsync(IdType.ResidentId, idNumber ?? TestCodes.NewResidentId(), "测试人", synthetic: true, CancellationToken.None);
            var fields = RecordContent.Canonical(JsonSerializer.SerializeToElement(new { decisionNo = "湘市监罚〔2025〕1号", severity = "general" }));
            var record = new CreditRecord
            {
                SubjectId = subject.Id,
                ProviderId = providerId,
                SourceId = sourceId,
                ItemCode = "admin-penalty",
                CatalogVersion = "430000/2026.1",
                OccurredOn = new DateOnly(2025, 6, 1),
                Grade = "general",
                CurrentVersion = 1,
                ContentSha256 = RecordContent.Digest("admin-penalty", new DateOnly(2025, 6, 1), fields),
                Versions = [new RecordVersion { Number = 1, Fields = fields, ContentSha256 = RecordContent.Digest("admin-penalty", new DateOnly(2025, 6, 1), fields) }],
            };
            db.Records.Add(record);
            await db.SaveChangesAsync();
            return record.Id;
        });
}
