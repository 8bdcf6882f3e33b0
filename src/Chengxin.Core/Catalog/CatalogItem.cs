namespace Chengxin.Catalog;

/// <summary>A text in both portal languages.</summary>
public sealed record LocalizedText(string Zh, string En)
{
    public string In(bool english) => english ? En : Zh;
}

/// <summary>The national basic catalog's eleven categories of personal public credit information.</summary>
public enum CatalogCategory
{
    Registration,
    Judicial,
    Administrative,
    Qualification,
    AbnormalList,
    SeriousList,
    ContractPerformance,
    Commitment,
    Evaluation,
    Honour,
    Voluntary,
}

public enum Polarity
{
    Positive,
    Negative,
    Neutral,
}

/// <summary>Who may see a record of the item, from the widest audience to the narrowest.</summary>
public enum Disclosure
{
    Public,
    Authorised,
    Government,
}

public enum FieldType
{
    String,
    Text,
    Date,
    Integer,
    Decimal,
    Boolean,
    Enum,
}

public enum DisplayStart
{
    OccurredOn,
    EndOfAct,
}

public sealed record CatalogField(
    string Name,
    LocalizedText? Label,
    FieldType Type,
    bool Required,
    bool Public,
    int? MaxLength = null,
    IReadOnlyList<string>? Values = null,
    decimal? Minimum = null,
    decimal? Maximum = null,
    IReadOnlyDictionary<string, LocalizedText>? ValueLabels = null)
{
    /// <summary>A value as people read it: an enumeration's label, yes or no, or the value as written (as written, too, for a field the catalog does not name).</summary>
    public static string Display(CatalogField? field, System.Text.Json.JsonElement value, bool english) => field is null
        ? value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()! : value.GetRawText()
        : field.Display(value, english);

    /// <summary>A value of this field as people read it: an enumeration's label, yes or no, or the value as written.</summary>
    public string Display(System.Text.Json.JsonElement value, bool english) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String when ValueLabels is not null && ValueLabels.TryGetValue(value.GetString()!, out var label) => label.In(english),
        System.Text.Json.JsonValueKind.String => value.GetString()!,
        System.Text.Json.JsonValueKind.True => english ? "yes" : "是",
        System.Text.Json.JsonValueKind.False => english ? "no" : "否",
        // Amounts with thousands separated and no trailing zeros (20000.0 as 20,000); every digit pushed is kept.
        System.Text.Json.JsonValueKind.Number when Type == FieldType.Decimal && value.TryGetDecimal(out var amount) =>
            amount.ToString("#,0.############################", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };
}

/// <summary>
/// How long a record is shown and used: <see cref="Months"/> at most, or per severity grade; 0 means never shown, null while valid.
/// <see cref="NeverShown"/> names records of a grade that are never shown whatever their months (minor penalties that are warnings).
/// </summary>
public sealed record DisplayRule(DisplayStart From, int? Months, IReadOnlyDictionary<string, int>? MonthsByGrade = null, IReadOnlyList<NeverShownWhen>? NeverShown = null)
{
    public int? MonthsFor(string? grade) =>
        grade is not null && MonthsByGrade is not null && MonthsByGrade.TryGetValue(grade, out var months) ? months : Months;

    /// <summary>The months for a record of this grade with these fields: 0 when a <see cref="NeverShown"/> condition holds.</summary>
    public int? MonthsFor(string? grade, System.Text.Json.JsonElement fields) =>
        NeverShown is { Count: > 0 } conditions && conditions.Any(c => c.Holds(grade, fields)) ? 0 : MonthsFor(grade);
}

/// <summary>Records of <see cref="Grade"/> whose field <see cref="Field"/> holds one of <see cref="Values"/> are never shown.</summary>
public sealed record NeverShownWhen(string Grade, string Field, IReadOnlyList<string> Values)
{
    public bool Holds(string? grade, System.Text.Json.JsonElement fields) =>
        grade == Grade && fields.ValueKind == System.Text.Json.JsonValueKind.Object && fields.TryGetProperty(Field, out var value)
        && value.ValueKind == System.Text.Json.JsonValueKind.String && Values.Contains(value.GetString()!, StringComparer.Ordinal);
}

/// <summary>Whether a record can be repaired, and after how many months of publicity at least.</summary>
public sealed record RepairRule(bool Repairable, int? AfterMonths = null, IReadOnlyDictionary<string, int>? AfterMonthsByGrade = null);

/// <summary>One unit of what may be collected, on which legal basis, shown to whom and for how long.</summary>
public sealed record CatalogItem(
    string Code,
    LocalizedText Name,
    LocalizedText? Description,
    CatalogCategory Category,
    IReadOnlyList<string> ProviderKinds,
    LocalizedText LegalBasis,
    Polarity Polarity,
    IReadOnlyList<string> SeverityGrades,
    Disclosure Disclosure,
    DisplayRule Display,
    RepairRule Repair,
    IReadOnlyList<CatalogField> Fields);

/// <summary>A catalog as published: the province's, or a city's additions to it.</summary>
public sealed record CatalogDocument(string Scope, string Version, DateOnly EffectiveFrom, IReadOnlyList<CatalogItem> Items);
