using System.Collections.Concurrent;

namespace Chengxin.Audit;

/// <summary>
/// Spots identity numbers asked for in sequence. People a system legitimately queries are scattered;
/// an enumeration walks the sequence codes of one district and birth date. This keeps, per system and
/// only in memory, the district-and-birth-date prefix (first 14 characters) of its last few requests,
/// and reports a run when <see cref="ScrapingOptions.SequentialRun"/> different people among them share one prefix.
/// </summary>
public sealed class SequenceWatch(ScrapingOptions options)
{
    private const int Remembered = 20;
    private readonly ConcurrentDictionary<string, Queue<(string Prefix, string Sequence)>> _recent = new(StringComparer.Ordinal);

    /// <summary>Notes a requested resident number; true when this system's recent requests walk one prefix.</summary>
    public bool Observe(string actor, string? idNumber)
    {
        var number = idNumber?.Trim();
        if (number is not { Length: 18 })
        {
            return false;
        }
        var prefix = number[..14];
        var queue = _recent.GetOrAdd(actor, _ => new Queue<(string, string)>());
        lock (queue)
        {
            queue.Enqueue((prefix, number[14..17]));
            while (queue.Count > Remembered)
            {
                queue.Dequeue();
            }
            // Distinct people: asking about the same person again is not a walk.
            return queue.Where(p => p.Prefix == prefix).Select(p => p.Sequence).Distinct().Count() >= options.SequentialRun;
        }
    }

    /// <summary>Forgets a system, once it has been dealt with.</summary>
    public void Forget(string actor) => _recent.TryRemove(actor, out _);
}
