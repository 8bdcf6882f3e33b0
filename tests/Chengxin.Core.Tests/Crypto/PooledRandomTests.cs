using Chengxin.Crypto;

namespace Chengxin.Core.Tests.Crypto;

public sealed class PooledRandomTests
{
    [Fact]
    public void NoTwoDrawsRepeatAcrossRefillsAndThreads()
    {
        // 12-byte draws, as nonces are: far more than one 4 KB buffer per thread, on several threads at once.
        var draws = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, _ =>
        {
            Span<byte> nonce = stackalloc byte[12];
            for (var i = 0; i < 5_000; i++)
            {
                PooledRandom.Fill(nonce);
                draws.Add(Convert.ToHexString(nonce));
            }
        });

        Assert.Equal(40_000, draws.Distinct().Count());
    }

    [Fact]
    public void LargeDrawsAreRandomToo()
    {
        var first = new byte[4096];
        var second = new byte[4096];

        PooledRandom.Fill(first);
        PooledRandom.Fill(second);

        Assert.NotEqual(first, second);
        Assert.Contains(first, b => b != 0);
    }

    [Fact]
    public void IdentifiersAreVersion7WithTheTimeInFrontAndSortByIt()
    {
        var at = new DateTimeOffset(2026, 11, 26, 8, 30, 0, 123, TimeSpan.Zero);

        var id = PooledRandom.NewGuidVersion7(at);
        var later = PooledRandom.NewGuidVersion7(at.AddMilliseconds(1));

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        // The same 48-bit millisecond prefix as the framework's own version 7 identifiers.
        Assert.Equal(Guid.CreateVersion7(at).ToString()[..13], id.ToString()[..13]);
        Assert.True(string.CompareOrdinal(id.ToString(), later.ToString()) < 0);
        Assert.NotEqual(id, PooledRandom.NewGuidVersion7(at));
    }
}
