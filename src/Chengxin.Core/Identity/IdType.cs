namespace Chengxin.Identity;

/// <summary>The certificate types a subject can be given by (EXCHANGE.md, "Identities").</summary>
public enum IdType
{
    ResidentId,
    HkMacaoPermit,
    TaiwanPermit,
    ForeignPermanentResident,
    Passport,
}

public static class IdTypes
{
    public static readonly IReadOnlyList<IdType> All = Enum.GetValues<IdType>();

    public static string ToCode(this IdType type) => type switch
    {
        IdType.ResidentId => "resident-id",
        IdType.HkMacaoPermit => "hk-macao-permit",
        IdType.TaiwanPermit => "taiwan-permit",
        IdType.ForeignPermanentResident => "foreign-permanent-resident",
        IdType.Passport => "passport",
    };

    public static bool TryParse(string? code, out IdType type)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToCode(), code, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
