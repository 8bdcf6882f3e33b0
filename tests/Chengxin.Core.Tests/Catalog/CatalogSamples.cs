using Chengxin.Catalog;

namespace Chengxin.Core.Tests.Catalog;

/// <summary>A small, valid provincial catalog that each test varies with <c>with</c>.</summary>
internal static class CatalogSamples
{
    public static CatalogField Field(string name, bool isPublic = true, FieldType type = FieldType.String, IReadOnlyList<string>? values = null) =>
        new(name, new LocalizedText(name, name), type, Required: true, Public: isPublic, MaxLength: null, Values: values);

    /// <summary>Graded: minor shown 12 months, serious (the default) 36.</summary>
    public static CatalogItem Penalty() => new(
        Code: "admin-penalty",
        Name: new("行政处罚", "Administrative penalty"),
        Description: null,
        Category: CatalogCategory.Administrative,
        ProviderKinds: ["government"],
        LegalBasis: new("《中华人民共和国行政处罚法》第四十八条", "Administrative Penalty Law, art. 48"),
        Polarity: Polarity.Negative,
        SeverityGrades: ["minor", "serious"],
        Disclosure: Disclosure.Authorised,
        Display: new DisplayRule(DisplayStart.OccurredOn, 36, new Dictionary<string, int>(StringComparer.Ordinal) { ["minor"] = 12 }),
        Repair: new RepairRule(true, 3),
        Fields:
        [
            Field("decisionNo"),
            Field("amount", type: FieldType.Decimal),
            Field("kind", type: FieldType.Enum, values: ["warning", "fine"]),
            Field("subjectAddress", isPublic: false),
        ]);

    /// <summary>Ungraded: shown 12 months.</summary>
    public static CatalogItem Arrears() => new(
        Code: "tax-arrears",
        Name: new("欠缴税款", "Tax arrears"),
        Description: new("逾期未缴税款", "Taxes overdue"),
        Category: CatalogCategory.ContractPerformance,
        ProviderKinds: ["tax"],
        LegalBasis: new("《税收征收管理法》", "Tax Collection Law"),
        Polarity: Polarity.Negative,
        SeverityGrades: [],
        Disclosure: Disclosure.Authorised,
        Display: new DisplayRule(DisplayStart.OccurredOn, 12),
        Repair: new RepairRule(true),
        Fields: [Field("amount", type: FieldType.Decimal), Field("taxOffice", isPublic: false)]);

    /// <summary>Shown while valid.</summary>
    public static CatalogItem Licence() => new(
        Code: "business-licence",
        Name: new("执业资格", "Professional licence"),
        Description: null,
        Category: CatalogCategory.Qualification,
        ProviderKinds: ["government"],
        LegalBasis: new("《行政许可法》", "Administrative Licensing Law"),
        Polarity: Polarity.Neutral,
        SeverityGrades: [],
        Disclosure: Disclosure.Public,
        Display: new DisplayRule(DisplayStart.OccurredOn, null),
        Repair: new RepairRule(false),
        Fields: [Field("licenceNo")]);

    public static CatalogDocument Province(params CatalogItem[] items) =>
        new("province", "2026.1", new DateOnly(2026, 1, 1), items.Length == 0 ? [Penalty(), Arrears(), Licence()] : items);

    public static CatalogDocument City(params CatalogItem[] items) => new("city:430100", "2026.1", new DateOnly(2026, 3, 1), items);

    public static string[] Codes(IEnumerable<CatalogViolation> violations) => [.. violations.Select(v => v.Code)];
}
