using System.Text.Json;
using Chengxin.Data;
using Chengxin.Records;

namespace Chengxin.Imports;

/// <summary>Keeps the log of what providers sent: one row per pushed batch or imported file.</summary>
public sealed class Submissions(ChengxinDb db, TimeProvider clock, ILogger<Submissions> logger)
{
    /// <summary>Each rejected item counts once under each distinct code it was refused with.</summary>
    public static Dictionary<string, int> CountCodes(PushResponse response) =>
        response.Results.Where(r => r.Status == PushResult.Rejected)
            .SelectMany(r => (r.Errors ?? []).Select(e => e.Code).Distinct())
            .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Logs an API batch after it was stored; a failure here never undoes the push.</summary>
    public async Task LogPushAsync(Guid providerId, PushResponse response, CancellationToken cancellationToken)
    {
        try
        {
            var now = clock.GetUtcNow();
            db.Submissions.Add(new Submission
            {
                ProviderId = providerId,
                Channel = SubmissionChannel.Api,
                Status = SubmissionStatus.Done,
                Rows = response.Results.Count,
                Created = response.Results.Count(r => r.Status == PushResult.Created),
                Updated = response.Results.Count(r => r.Status == PushResult.Updated),
                Unchanged = response.Results.Count(r => r.Status == PushResult.Unchanged),
                Rejected = response.Rejected,
                RejectionsByCode = JsonSerializer.Serialize(CountCodes(response)),
                ReceivedAt = now,
                FinishedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The push of provider {Provider} is stored but could not be logged", providerId);
        }
    }

    /// <summary>Logs a file imported from the command line, with its outcome.</summary>
    public async Task LogImportAsync(Guid providerId, string fileName, string itemCode, long bytes, ImportProgress? result, string? error, CancellationToken cancellationToken)
    {
        var submission = new Submission
        {
            ProviderId = providerId,
            Channel = SubmissionChannel.Cli,
            Status = error is null ? SubmissionStatus.Done : SubmissionStatus.Failed,
            FileName = fileName,
            ItemCode = itemCode,
            FileBytes = bytes,
            Error = error,
            FinishedAt = clock.GetUtcNow(),
        };
        if (result is not null)
        {
            Apply(submission, result);
        }
        db.Submissions.Add(submission);
        await db.SaveChangesAsync(cancellationToken);
    }

    public static void Apply(Submission submission, ImportProgress progress)
    {
        submission.Rows = progress.Rows;
        submission.Created = progress.Created;
        submission.Updated = progress.Updated;
        submission.Unchanged = progress.Unchanged;
        submission.Rejected = progress.Rejected;
        submission.BytesRead = progress.BytesRead;
        submission.RejectionsByCode = JsonSerializer.Serialize(progress.RejectionsByCode);
    }
}
