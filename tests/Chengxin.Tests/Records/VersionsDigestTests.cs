using Chengxin.Data;
using Chengxin.Records;

namespace Chengxin.Tests.Records;

/// <summary>The digest a push's audit entry carries of the versions it wrote: the same versions in any order give the same digest.</summary>
public sealed class VersionsDigestTests
{
    private static RecordVersion Version(int record, int number, string digest) =>
        new() { RecordId = Guid.Parse($"00000000-0000-0000-0000-{record:D12}"), Number = number, ContentSha256 = digest, Fields = "{}" };

    [Fact]
    public void IsTheSha256OfOneLinePerVersionInRecordAndNumberOrder()
    {
        // sha256("00000000000000000000000000000001/2/abab…\n00000000000000000000000000000002/1/cdcd…\n"), computed independently.
        var digest = PushService.VersionsDigest([Version(2, 1, string.Concat(Enumerable.Repeat("cd", 32))), Version(1, 2, string.Concat(Enumerable.Repeat("ab", 32)))]);

        Assert.Equal("f93ddfe4bca280cb0ec67e46c5b03a2809cbe04a9a145f1577f1cbf7e0fab3cd", digest);
    }
}
