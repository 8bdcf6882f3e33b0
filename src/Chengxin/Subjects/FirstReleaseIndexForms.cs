using Chengxin.Crypto;
using Chengxin.Data;
using Microsoft.EntityFrameworkCore;

namespace Chengxin.Subjects;

/// <summary>
/// Whether the database may still hold blind-index values in the first release's form (no algorithm tag), for
/// a person or in an authorisation (which keeps the value it was granted under).
/// Lookups try that form only while it may: it doubles the index probes of every pushed batch. Nothing
/// writes the form any more, so once none is found the answer stands for the life of the process; while
/// some are, the database is asked again every ten minutes (after <c>chengxin keys rotate</c>, say).
/// </summary>
public sealed class FirstReleaseIndexForms(BlindIndex index, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMinutes(10);
    private volatile bool _noneLeft;
    private DateTimeOffset _askedAt = DateTimeOffset.MinValue;
    private readonly SemaphoreSlim _asking = new(1, 1);

    /// <summary>Until the database has been asked, they may.</summary>
    public bool MayExist => !_noneLeft;

    public async Task RefreshAsync(ChengxinDb db, CancellationToken cancellationToken)
    {
        if (_noneLeft || clock.GetUtcNow() - _askedAt < AskAgainAfter)
        {
            return;
        }
        await _asking.WaitAsync(cancellationToken);
        try
        {
            if (_noneLeft || clock.GetUtcNow() - _askedAt < AskAgainAfter)
            {
                return;
            }
            var any = false;
            foreach (var pattern in index.FirstReleasePatterns())
            {
                any = any
                    || await db.Subjects.AnyAsync(s => EF.Functions.Like(s.BlindIndex, pattern, @"\"), cancellationToken)
                    || await db.Authorisations.AnyAsync(a => EF.Functions.Like(a.SubjectIndex, pattern, @"\"), cancellationToken);
            }
            _noneLeft = !any;
            _askedAt = clock.GetUtcNow();
        }
        finally
        {
            _asking.Release();
        }
    }

    public void Dispose() => _asking.Dispose();
}
