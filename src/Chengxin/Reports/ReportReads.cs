using Chengxin.Archive;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Chengxin.Reports;

/// <summary>
/// The read every authorised report starts with, on PostgreSQL: the person by certificate, the cited authorisation, and
/// the person's archive, as two statements sent in one round trip and read straight into their records. The same rows as
/// <see cref="AuthorisationService.FindAsync"/>'s query for other databases, without the work of a general query: the
/// person's columns are not repeated on every record, and nothing is ordered by every key of the join.
/// </summary>
public static class ReportReads
{
    private const string PersonAndCited = """
        SELECT s."Id", s."IdType", s."BlindIndex", s."IdNumberCipher", s."NameCipher", s."KeyId", s."IdNumberTail", s."DivisionCode", s."Synthetic", s."CreatedAt",
               a."Id", a."SubjectId", a."SubjectIndex", a."QuerierId", a."Purpose", a."Categories", a."ValidFrom", a."ValidUntil", a."Channel",
               a."EvidenceFileName", a."EvidenceSha256", a."CreatedAt", a."RevokedAt"
        FROM "Subjects" s LEFT JOIN "Authorisations" a ON a."Id" = $2
        WHERE s."BlindIndex" = ANY($1)
        LIMIT 1
        """;

    // The archive only when the cited authorisation is the querier's and not revoked; the check in .NET decides the rest.
    private const string Archive = """
        SELECT r."Id", r."ItemCode", r."OccurredOn", r."Grade", r."Status", r."IsReference", r."RevocationReason", r."CurrentVersion", o."NameZh", o."NameEn", v."Fields"
        FROM "Records" r
        JOIN "Organisations" o ON o."Id" = r."ProviderId"
        JOIN "RecordVersions" v ON v."RecordId" = r."Id" AND v."Number" = r."CurrentVersion"
        WHERE r."SubjectId" = (SELECT "Id" FROM "Subjects" WHERE "BlindIndex" = ANY($1) LIMIT 1)
          AND EXISTS (SELECT 1 FROM "Authorisations" c WHERE c."Id" = $2 AND c."QuerierId" = $3 AND c."RevokedAt" IS NULL)
        ORDER BY r."OccurredOn" DESC
        """;

    public static async Task<(Subject? Subject, Authorisation? Cited, IReadOnlyList<ArchiveRow> Archive)> FindAsync(ChengxinDb db, string[] indexes, Guid? authorisationId, Guid querierId,
        CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var sql in new[] { PersonAndCited, Archive })
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(sql)
                {
                    Parameters =
                    {
                        new() { Value = indexes },
                        new() { Value = (object?)authorisationId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                        new() { Value = querierId },
                    },
                });
            }
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (null, null, []);
            }
            var subject = new Subject
            {
                Id = reader.GetGuid(0),
                IdType = reader.GetString(1),
                BlindIndex = reader.GetString(2),
                IdNumberCipher = reader.GetFieldValue<byte[]>(3),
                NameCipher = reader.GetFieldValue<byte[]>(4),
                KeyId = reader.GetString(5),
                IdNumberTail = reader.GetString(6),
                DivisionCode = reader.IsDBNull(7) ? null : reader.GetString(7),
                Synthetic = reader.GetBoolean(8),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
            };
            var cited = reader.IsDBNull(10) ? null : new Authorisation
            {
                Id = reader.GetGuid(10),
                SubjectId = reader.IsDBNull(11) ? null : reader.GetGuid(11),
                SubjectIndex = reader.GetString(12),
                QuerierId = reader.GetGuid(13),
                Purpose = reader.GetString(14),
                Categories = reader.GetString(15),
                ValidFrom = reader.GetFieldValue<DateOnly>(16),
                ValidUntil = reader.GetFieldValue<DateOnly>(17),
                Channel = reader.GetString(18),
                EvidenceFileName = reader.IsDBNull(19) ? null : reader.GetString(19),
                EvidenceSha256 = reader.IsDBNull(20) ? null : reader.GetString(20),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(21),
                RevokedAt = reader.IsDBNull(22) ? null : reader.GetFieldValue<DateTimeOffset>(22),
            };
            await reader.NextResultAsync(cancellationToken);
            var archive = new List<ArchiveRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                archive.Add(new ArchiveRow(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    Enum.Parse<RecordStatus>(reader.GetString(4)), reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7),
                    reader.GetString(8), reader.GetString(9), reader.GetString(10)));
            }
            return (subject, cited, archive);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
