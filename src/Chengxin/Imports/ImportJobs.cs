using System.Text;
using System.Threading.Channels;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Imports;

/// <summary><c>Storage:Folder</c>: where uploaded files and rejected-row files are kept (default <c>data/</c> beside the program).</summary>
public sealed class StorageOptions
{
    public string? Folder { get; set; }

    /// <summary>The largest file a provider may upload.</summary>
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    public string ImportsFolder(IHostEnvironment environment) => Under(environment, "imports");

    /// <summary>Where authorisation evidence files are kept.</summary>
    public string EvidenceFolder(IHostEnvironment environment) => Under(environment, "evidence");

    private string Under(IHostEnvironment environment, string name) =>
        Path.Combine(Folder is { Length: > 0 } f ? f : Path.Combine(environment.ContentRootPath, "data"), name);
}

/// <summary>
/// Files uploaded in the portal, imported in the background one at a time. The upload is acknowledged
/// only once the file is on disk and its job row is committed; a job interrupted by a restart is picked
/// up again on start (importing is idempotent, so rows already stored come back "unchanged").
/// </summary>
public sealed class ImportJobs(IServiceScopeFactory scopes, RecordImporter importer, IHostEnvironment environment, Microsoft.Extensions.Options.IOptions<StorageOptions> storage, TimeProvider clock, ILogger<ImportJobs> logger)
    : BackgroundService
{
    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>();

    public string Folder => storage.Value.ImportsFolder(environment);

    public string StoredFile(Submission s) => Path.Combine(Folder, s.Id.ToString("N") + Path.GetExtension(s.FileName));

    public string RejectedFile(Guid submissionId) => Path.Combine(Folder, submissionId.ToString("N") + ".rejected.csv");

    /// <summary>Stores the upload and queues its import; returns the job's id.</summary>
    public async Task<Guid> AcceptAsync(Guid providerId, string itemCode, string fileName, Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var submission = new Submission
        {
            ProviderId = providerId,
            Channel = SubmissionChannel.File,
            Status = SubmissionStatus.Queued,
            ItemCode = itemCode,
            FileName = Path.GetFileName(fileName),
            ReceivedAt = clock.GetUtcNow(),
        };
        var path = StoredFile(submission);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await content.CopyToAsync(file, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
            submission.FileBytes = file.Length;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        db.Submissions.Add(submission);
        await db.SaveChangesAsync(cancellationToken);
        await _queue.Writer.WriteAsync(submission.Id, cancellationToken);
        return submission.Id;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // never hold up the host's start
        await ResumeUnfinishedAsync(stoppingToken);
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(id, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Import job {Job} failed unexpectedly", id);
                await FinishAsync(id, SubmissionStatus.Failed, "The import stopped on an unexpected error; the platform's operators have the details.", null);
            }
        }
    }

    /// <summary>Queues the jobs a stop interrupted; waits for the database when it is not there yet.</summary>
    private async Task ResumeUnfinishedAsync(CancellationToken stoppingToken)
    {
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2)))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
                var unfinished = await db.Submissions.Where(s => s.Channel == SubmissionChannel.File && (s.Status == SubmissionStatus.Queued || s.Status == SubmissionStatus.Running))
                    .OrderBy(s => s.ReceivedAt).Select(s => s.Id).ToListAsync(stoppingToken);
                foreach (var id in unfinished)
                {
                    await _queue.Writer.WriteAsync(id, stoppingToken);
                }
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Cannot read unfinished imports yet ({Reason}); trying again in {Delay}", e.GetType().Name, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    private async Task RunAsync(Guid id, CancellationToken cancellationToken)
    {
        Submission submission;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
            submission = await db.Submissions.SingleAsync(s => s.Id == id, cancellationToken);
            submission.Status = SubmissionStatus.Running;
            await db.SaveChangesAsync(cancellationToken);
        }
        try
        {
            await using var file = File.OpenRead(StoredFile(submission));
            await using var rejected = new StreamWriter(RejectedFile(id), append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            var result = await importer.ImportAsync(file, submission.FileName!, submission.ProviderId, submission.ItemCode!, rejected,
                progress => SaveProgress(id, progress), cancellationToken);
            await FinishAsync(id, SubmissionStatus.Done, null, result);
        }
        catch (ImportFileException e)
        {
            await FinishAsync(id, SubmissionStatus.Failed, e.Message, null);
        }
    }

    // Progress is written from the importer's callback between chunks; a short scope keeps it independent of the import's own.
    private void SaveProgress(Guid id, ImportProgress progress)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        var submission = db.Submissions.Single(s => s.Id == id);
        Submissions.Apply(submission, progress);
        db.SaveChanges();
    }

    private async Task FinishAsync(Guid id, SubmissionStatus status, string? error, ImportProgress? result)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        var submission = await db.Submissions.SingleAsync(s => s.Id == id);
        if (result is not null)
        {
            Submissions.Apply(submission, result);
        }
        submission.Status = status;
        submission.Error = error;
        submission.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync();
    }
}

public static class ImportSetup
{
    public static IServiceCollection AddImports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage"));
        services.AddSingleton<ImportJobs>();
        services.AddHostedService(s => s.GetRequiredService<ImportJobs>());
        return services;
    }
}
