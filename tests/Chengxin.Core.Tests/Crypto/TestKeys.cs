using Chengxin.Crypto;

namespace Chengxin.Core.Tests.Crypto;

/// <summary>Fixed, distinct keys so the tests are repeatable; never used outside tests.</summary>
internal static class TestKeys
{
    public static readonly byte[] K1 = Filled(1);
    public static readonly byte[] K2 = Filled(2);
    public static readonly byte[] Index = [.. Enumerable.Range(100, 32).Select(b => (byte)b)];

    public static KeyRing Ring(string current, params (string Id, byte[] Key)[] keys) =>
        new(current, keys.ToDictionary(k => k.Id, k => k.Key, StringComparer.Ordinal), "i1", Index);

    public static KeyRing RingWithK1() => Ring("k1", ("k1", K1));

    public static byte[] Filled(byte value) => Enumerable.Repeat(value, 32).ToArray();
}
